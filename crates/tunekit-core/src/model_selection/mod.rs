//! Folds, splits and parallel search (see the crate docs).
