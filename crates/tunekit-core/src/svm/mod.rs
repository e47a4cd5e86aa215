//! Support vector classification (see the crate docs). Filled in by the SVM work.
