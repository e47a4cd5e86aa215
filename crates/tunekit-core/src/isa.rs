//! Run-time choice of the instruction set for the hottest loops.
//!
//! The published binary targets baseline x86-64 (SSE2), where the SMO
//! selection loops (`svm::solver`) and the TPE scoring (`tpe::parzen`) run two
//! `f64` lanes per instruction and every `mul_add` of the Gram matrix is a
//! call into the runtime's `fma`. On a CPU
//! with AVX2 and FMA the same Rust loops, compiled a second time with those
//! features enabled, run four lanes and fuse in one instruction. The
//! arithmetic is the same operation by operation (Rust never fuses a multiply
//! and an add by itself, and `mul_add` is one correctly rounded operation in
//! both builds), so both give bit-identical results: the choice changes speed
//! only.
//!
//! [`Isa::detect`] asks the CPU (the standard library caches the answer);
//! [`wide`] is the one place that calls a function compiled for a feature
//! the baseline lacks.

/// The instruction set the hot loops may use on this CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Isa {
    avx2: bool,
}

impl Isa {
    /// What this CPU supports (the standard library caches the CPUID answer).
    pub(crate) fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            Self {
                avx2: std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            Self { avx2: false }
        }
    }

    /// The baseline build only (for tests that compare the two).
    #[cfg(test)]
    pub(crate) fn baseline() -> Self {
        Self { avx2: false }
    }

    /// Whether the AVX2 + FMA build of the loops runs (used by [`wide`]).
    #[inline(always)]
    pub(crate) fn avx2_enabled(self) -> bool {
        self.avx2
    }
}

/// `wide! { /// doc \n fn name(args…) -> Ret { body } }` defines
/// `name(isa, args…)`, which runs `body` compiled for AVX2 and FMA when `isa`
/// has them and for the baseline otherwise (one copy of the source, inlined
/// into both builds).
macro_rules! wide {
    ($(#[$doc:meta])* fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? $body:block) => {
        $(#[$doc])*
        #[inline]
        fn $name(isa: $crate::isa::Isa, $($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn body($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) $(-> $ret)? {
                    body($($arg),*)
                }
                if isa.avx2_enabled() {
                    // SAFETY: `avx2` only needs the AVX2 and FMA instructions,
                    // and `isa` says this CPU has them (`Isa::detect` asked it).
                    #[allow(unsafe_code)]
                    return unsafe { avx2($($arg),*) };
                }
            }
            let _ = isa;
            body($($arg),*)
        }
    };
}
pub(crate) use wide;
