//! N-API binding of `tunekit-core`: conversions of types and errors only.
#![deny(clippy::all)]
