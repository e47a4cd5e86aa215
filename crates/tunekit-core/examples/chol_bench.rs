//! nalgebra's Cholesky against faer's on Gaussian-process kernel matrices.
//!
//! `cargo run --release -p tunekit-core --features chol-bench --example chol_bench` prints, for n = 200, 500, 1000,
//! the median wall time (ms) of: the factorisation, the inverse from the
//! factor (what the LML gradient needs), and one triangular solve with 1024
//! right-hand sides (what the batched posterior needs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt;
use faer::{Mat, Par};
use rand_mt::Mt64;

fn kernel_matrix(n: usize, d: usize, rng: &mut Mt64) -> Vec<f64> {
    let x: Vec<f64> = (0..n * d)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
        .collect();
    let mut k = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let r2: f64 = (0..d)
                .map(|t| (x[i * d + t] - x[j * d + t]).powi(2) / 0.3f64.powi(2))
                .sum();
            let r = (5.0 * r2).sqrt();
            k[i * n + j] = (1.0 + r + r * r / 3.0) * (-r).exp() + if i == j { 1e-6 } else { 0.0 };
        }
    }
    k
}

fn median_ms(mut f: impl FnMut(), reps: usize) -> f64 {
    f();
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[reps / 2]
}

fn main() {
    let mut rng = Mt64::new(7);
    let m = 1024;
    println!("| n | nalgebra chol | faer chol seq | faer chol par | nalgebra inv | faer inv seq | faer inv par | nalgebra trsm {m} | faer trsm seq | faer trsm par |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &n in &[200usize, 500, 1000] {
        let reps = if n >= 1000 { 5 } else { 11 };
        let k = kernel_matrix(n, 6, &mut rng);
        let rhs: Vec<f64> = (0..n * m)
            .map(|i| ((i * 7919) % 1000) as f64 / 1000.0)
            .collect();
        let na = nalgebra::DMatrix::from_row_slice(n, n, &k);
        let na_rhs = nalgebra::DMatrix::from_row_slice(n, m, &rhs);
        let t_na = median_ms(
            || {
                std::hint::black_box(na.clone().cholesky().unwrap());
            },
            reps,
        );
        let na_ch = na.clone().cholesky().unwrap();
        let t_na_inv = median_ms(
            || {
                std::hint::black_box(na_ch.inverse());
            },
            reps,
        );
        let na_l = na_ch.l();
        let t_na_trsm = median_ms(
            || {
                std::hint::black_box(na_l.solve_lower_triangular(&na_rhs).unwrap());
            },
            reps,
        );

        let fa = Mat::from_fn(n, n, |i, j| k[i * n + j]);
        let fa_rhs = Mat::from_fn(n, m, |i, j| rhs[i * m + j]);
        let mut row = vec![n.to_string(), format!("{t_na:.2}")];
        let mut inv_cols = vec![];
        let mut trsm_cols = vec![];
        for par in [Par::Seq, Par::rayon(0)] {
            let mut buf = MemBuffer::new(llt::factor::cholesky_in_place_scratch::<f64>(
                n,
                par,
                Default::default(),
            ));
            let t = median_ms(
                || {
                    let mut a = fa.clone();
                    llt::factor::cholesky_in_place(
                        a.as_mut(),
                        Default::default(),
                        par,
                        MemStack::new(&mut buf),
                        Default::default(),
                    )
                    .unwrap();
                    std::hint::black_box(a);
                },
                reps,
            );
            row.push(format!("{t:.2}"));
            let mut l = fa.clone();
            llt::factor::cholesky_in_place(
                l.as_mut(),
                Default::default(),
                par,
                MemStack::new(&mut buf),
                Default::default(),
            )
            .unwrap();
            let mut ibuf = MemBuffer::new(llt::inverse::inverse_scratch::<f64>(n, par));
            let mut out = Mat::<f64>::zeros(n, n);
            inv_cols.push(median_ms(
                || {
                    llt::inverse::inverse(out.as_mut(), l.as_ref(), par, MemStack::new(&mut ibuf));
                },
                reps,
            ));
            trsm_cols.push(median_ms(
                || {
                    let mut b = fa_rhs.clone();
                    faer::linalg::triangular_solve::solve_lower_triangular_in_place(
                        l.as_ref(),
                        b.as_mut(),
                        par,
                    );
                    std::hint::black_box(b);
                },
                reps,
            ));
        }
        row.push(format!("{t_na_inv:.2}"));
        row.extend(inv_cols.iter().map(|t| format!("{t:.2}")));
        row.push(format!("{t_na_trsm:.2}"));
        row.extend(trsm_cols.iter().map(|t| format!("{t:.2}")));
        println!("| {} |", row.join(" | "));
    }
}
