//! The Go rules (`GOnnn`): the Dockerfile checked against the Go project it builds.
//!
//! Each rule reports only what the evidence proves: without [`GoFacts`](crate::rules::GoFacts)
//! (no workspace), without a module, with a value only the build knows, or with the package index
//! not yet complete, it stays silent. One file per rule (`goNNN_<slug>.rs`); add it to `RULES`.

mod go101_go_version_newer_than_image;
mod go102_toolchain_directive_ignored;
mod go103_unpinned_golang_image;
mod go104_go_sum_copied_but_missing;
mod go105_go_sum_not_copied_before_build;
mod go106_dockerignore_excludes_go_files;
mod go107_replace_outside_build_context;
mod go108_replace_target_copied_too_late;
mod go109_go_work_module_missing;
mod go110_mod_flag_in_workspace_mode;
mod go111_vendor_inconsistent;
mod go112_mod_vendor_without_vendor;
mod go113_no_go_mod_in_workdir;
mod go114_gopath_mode_with_modules;
mod go201_build_target_missing;
mod go202_output_file_for_many_packages;
mod go203_build_target_not_main;
mod go204_copied_binary_not_built;
mod go205_ldflags_x_target_missing;
mod go206_ldflags_x_target_not_settable;
mod go207_malformed_ldflags;
mod go208_malformed_goflags;
mod go209_unknown_build_tag;
mod go210_go_get_for_tools;
mod go211_obsolete_build_flags;
mod go212_unknown_golang_image_tag;
mod go2xx_support;
mod go301_cgo_disabled_but_imports_c;
mod go302_cgo_only_dependency_without_cgo;
mod go303_cgo_without_c_compiler;
mod go304_dynamic_binary_in_static_image;
mod go305_libc_mismatch_between_stages;
mod go306_glibc_newer_in_builder;
mod go307_no_ca_certificates;
mod go308_no_timezone_database;
mod go309_os_user_without_passwd;
mod go310_race_without_cgo;
mod go311_extldflags_without_external_linking;
mod go3xx_support;
mod go401_platform_arg_not_declared_in_stage;
mod go402_hard_coded_target_platform;
mod go403_cgo_cross_compile_without_cc;
mod go404_goarm_from_targetvariant;
mod go405_goamd64_above_v1;
mod go4xx_support;
mod go501_no_go_cache_mount;
mod go502_source_copied_before_module_download;
mod go503_toolchain_image_at_runtime;
mod go504_runs_as_root;
mod go505_shell_form_without_shell;
mod go506_listen_address_mismatch;
mod go507_vcs_stamping_will_fail;
mod go508_private_modules_without_auth;
mod go509_alpine_without_git_for_direct_fetch;
mod go510_windows_image_for_linux_target;
mod program_needs;

pub use program_needs::{ProgramNeeds, program_needs};

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[
    &go101_go_version_newer_than_image::RULE,
    &go102_toolchain_directive_ignored::RULE,
    &go103_unpinned_golang_image::RULE,
    &go104_go_sum_copied_but_missing::RULE,
    &go105_go_sum_not_copied_before_build::RULE,
    &go106_dockerignore_excludes_go_files::RULE,
    &go107_replace_outside_build_context::RULE,
    &go108_replace_target_copied_too_late::RULE,
    &go109_go_work_module_missing::RULE,
    &go110_mod_flag_in_workspace_mode::RULE,
    &go111_vendor_inconsistent::RULE,
    &go112_mod_vendor_without_vendor::RULE,
    &go113_no_go_mod_in_workdir::RULE,
    &go114_gopath_mode_with_modules::RULE,
    &go201_build_target_missing::RULE,
    &go202_output_file_for_many_packages::RULE,
    &go203_build_target_not_main::RULE,
    &go204_copied_binary_not_built::RULE,
    &go205_ldflags_x_target_missing::RULE,
    &go206_ldflags_x_target_not_settable::RULE,
    &go207_malformed_ldflags::RULE,
    &go208_malformed_goflags::RULE,
    &go209_unknown_build_tag::RULE,
    &go210_go_get_for_tools::RULE,
    &go211_obsolete_build_flags::RULE,
    &go212_unknown_golang_image_tag::RULE,
    &go301_cgo_disabled_but_imports_c::RULE,
    &go302_cgo_only_dependency_without_cgo::RULE,
    &go303_cgo_without_c_compiler::RULE,
    &go304_dynamic_binary_in_static_image::RULE,
    &go305_libc_mismatch_between_stages::RULE,
    &go306_glibc_newer_in_builder::RULE,
    &go307_no_ca_certificates::RULE,
    &go308_no_timezone_database::RULE,
    &go309_os_user_without_passwd::RULE,
    &go310_race_without_cgo::RULE,
    &go311_extldflags_without_external_linking::RULE,
    &go401_platform_arg_not_declared_in_stage::RULE,
    &go402_hard_coded_target_platform::RULE,
    &go403_cgo_cross_compile_without_cc::RULE,
    &go404_goarm_from_targetvariant::RULE,
    &go405_goamd64_above_v1::RULE,
    &go501_no_go_cache_mount::RULE,
    &go502_source_copied_before_module_download::RULE,
    &go503_toolchain_image_at_runtime::RULE,
    &go504_runs_as_root::RULE,
    &go505_shell_form_without_shell::RULE,
    &go506_listen_address_mismatch::RULE,
    &go507_vcs_stamping_will_fail::RULE,
    &go508_private_modules_without_auth::RULE,
    &go509_alpine_without_git_for_direct_fetch::RULE,
    &go510_windows_image_for_linux_target::RULE,
];
