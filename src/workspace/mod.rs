//! The Go workspace model (placeholder overview, replaced below).

mod build_files;
mod dockerignore;
mod gomod;
mod gosource;
mod gowork;
mod modfile_syntax;
mod modules_txt;

pub use build_files::{BuildFile, BuildFileKind, BuildTarget, Setting, parse_bake, parse_compose};
pub use dockerignore::{DockerIgnore, IgnorePattern, parse_dockerignore};
pub use gomod::{
    GoDebug, GoMod, ModuleDirective, ModuleVersion, Replace, ReplaceTarget, Require, Retract, Spanned, parse_go_mod,
};
pub use gosource::{
    BuildConstraint, GoFile, Import, Initializer, ListenAddress, VarDecl, is_generated, parse_go_source,
};
pub use gowork::{GoWork, Use, parse_go_work};
pub use modfile_syntax::{Block, Comment, ModError};
pub use modules_txt::{ModulesTxt, VendoredModule, parse_modules_txt};
