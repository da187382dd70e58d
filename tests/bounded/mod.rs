//! Running `gantry` under watch for the limit and security tests: a deadline (the process is
//! killed and the test fails when it is exceeded), its peak memory (`VmHWM`, polled from
//! `/proc`), and scratch directories that clean up after themselves.

// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What a bounded run of the binary produced.
#[derive(Debug)]
pub(crate) struct Bounded {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// The highest resident set size seen, in KiB (0 where `/proc` is not available).
    pub(crate) peak_kib: u64,
    pub(crate) elapsed: Duration,
}

/// `gantry` with `args`, run in `dir`.
pub(crate) fn gantry(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gantry"));
    command.args(args).current_dir(dir).env_remove("GANTRY_LOG").env("NO_COLOR", "1");
    command
}

/// Runs `command` to completion, killing it and failing the test after `timeout`.
pub(crate) fn run_bounded(mut command: Command, timeout: Duration) -> Bounded {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = command.spawn().expect("cannot start gantry");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let mut peak_kib = 0;
    let status = loop {
        // Read the peak before asking whether it exited: an exited process has no memory left.
        peak_kib = peak_kib.max(peak_rss_kib(child.id()));
        if let Some(status) = child.try_wait().expect("wait for gantry") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
            panic!("gantry did not finish within {timeout:?} (killed); stderr:\n{stderr}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    Bounded {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
        peak_kib,
        elapsed,
    }
}

/// The peak resident set size of a running process in KiB (`VmHWM`), 0 when unknown.
pub(crate) fn peak_rss_kib(pid: u32) -> u64 {
    let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else { return 0 };
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A scratch directory under the target directory, removed (permissions restored) on drop.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new(suite: &str, name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(suite).join(name);
        remove_tree(&dir);
        fs::create_dir_all(&dir).expect("create the scratch directory");
        Scratch(dir.canonicalize().expect("canonical scratch directory"))
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }

    pub(crate) fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the parent directory");
        }
        fs::write(&path, text).expect("write a scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        remove_tree(&self.0);
    }
}

/// Removes a tree, first making every directory in it writable and listable again.
fn remove_tree(dir: &Path) {
    #[cfg(unix)]
    fn open_up(dir: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = fs::symlink_metadata(dir) else { return };
        if !meta.is_dir() {
            return;
        }
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            open_up(&entry.path());
        }
    }
    #[cfg(unix)]
    open_up(dir);
    let _ = fs::remove_dir_all(dir);
}

/// `mkfifo path` (the test fails if it cannot be made).
pub(crate) fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The effective user is root, for whom permission bits do not bind.
pub(crate) fn running_as_root() -> bool {
    let Ok(status) = fs::read_to_string("/proc/self/status") else { return false };
    status.lines().find_map(|line| line.strip_prefix("Uid:")).and_then(|ids| ids.split_whitespace().nth(1)) == Some("0")
}
