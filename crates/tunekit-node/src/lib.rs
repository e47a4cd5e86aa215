//! N-API binding of `tunekit-core`: conversions of types and errors only.
//!
//! Every function here copies its typed-array inputs once into `Vec`s, calls one
//! core entry point, and converts the result back into typed arrays. Work that
//! can take more than a millisecond is an `AsyncTask` (run on the libuv pool,
//! parallel inside with rayon) with a `*Sync` twin sharing the same inner call.
//! Errors cross as JavaScript errors whose message starts with a stable code in
//! brackets (`[INVALID_PARAMETER] C must be …`), given by the one table in
//! [`error`]; the TypeScript layer turns them into `TunekitError`s. Every
//! export is `#[napi(catch_unwind)]` and every task's compute runs under
//! [`error::no_panic`], so a panic never crosses into Node.
#![deny(clippy::all)]
// napi registers the exports only outside `cfg(test)`: a test build sees them unused.
#![cfg_attr(test, allow(dead_code))]

mod bo;
mod cmaes;
mod error;
mod ga;
mod gp;
mod importance;
mod matrix;
mod search;
mod space;
mod splits;
mod svc;
mod tpe;
