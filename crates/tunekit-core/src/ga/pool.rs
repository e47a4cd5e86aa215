//! The evaluated individuals a generation is bred from, whatever their
//! storage: a slice of [`Individual`]s (the stateless entry points) or one
//! flat row-major block ([`FlatPool`], what a long run keeps between
//! generations without a vector per individual).

use super::error::GaError;
use super::individual::Individual;

/// Read access to evaluated individuals, by index.
pub trait Pool {
    /// Number of individuals.
    fn len(&self) -> usize;
    /// The point of individual `i`, in value form.
    fn point(&self, i: usize) -> &[f64];
    /// The objective values of individual `i` (NaN = failed).
    fn values(&self, i: usize) -> &[f64];
    /// The total constraint violation of individual `i` (0 = feasible).
    fn violation(&self, i: usize) -> f64;

    /// The encoded point of individual `i`, if the pool keeps it (saves
    /// encoding it again; it must equal the encoding of `point(i)`).
    fn encoded(&self, _i: usize) -> Option<&[f64]> {
        None
    }

    /// The duplicate-check fingerprint of individual `i`, if the pool keeps it.
    fn fingerprint(&self, _i: usize) -> Option<u64> {
        None
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Pool for [Individual] {
    #[inline]
    fn len(&self) -> usize {
        <[Individual]>::len(self)
    }
    #[inline]
    fn point(&self, i: usize) -> &[f64] {
        &self[i].point
    }
    #[inline]
    fn values(&self, i: usize) -> &[f64] {
        &self[i].values
    }
    #[inline]
    fn violation(&self, i: usize) -> f64 {
        self[i].violation
    }
}

/// Individuals stored row-major: `d` point values and `m` objective values
/// per row, plus one violation. Rows added from [`Offspring`](super::Offspring)
/// also keep their encoded points and fingerprints, for as long as every row
/// has them.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatPool {
    d: usize,
    m: usize,
    points: Vec<f64>,
    values: Vec<f64>,
    violations: Vec<f64>,
    /// Encoded points (rows × d), while every row has one.
    encoded: Option<Vec<f64>>,
    /// Fingerprints (one per row), while every row has one.
    prints: Option<Vec<u64>>,
}

impl FlatPool {
    /// An empty pool of points with `d` parameters and `m` objectives.
    pub fn new(d: usize, m: usize) -> Self {
        Self {
            d,
            m,
            points: Vec::new(),
            values: Vec::new(),
            violations: Vec::new(),
            encoded: Some(Vec::new()),
            prints: Some(Vec::new()),
        }
    }

    /// Appends `rows` rows: `points` (rows × d), `values` (rows × m) and
    /// `violations` (rows, or all 0 when `None`).
    pub fn extend(
        &mut self,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
    ) -> Result<(), GaError> {
        let rows = self.check(points, values, violations)?;
        if rows > 0 {
            self.encoded = None;
            self.prints = None;
        }
        self.push_rows(rows, points, values, violations);
        Ok(())
    }

    /// [`extend`](Self::extend) with children as [`breed`](super::breed)
    /// returned them, keeping their encoded points and fingerprints.
    pub fn extend_offspring(
        &mut self,
        children: &super::Offspring,
        values: &[f64],
        violations: Option<&[f64]>,
    ) -> Result<(), GaError> {
        let rows = self.check(children.children(), values, violations)?;
        match &mut self.encoded {
            Some(e) if children.encoded.len() == rows * self.d => {
                e.extend_from_slice(&children.encoded)
            }
            _ => self.encoded = None,
        }
        match &mut self.prints {
            Some(p) if children.fingerprints.len() == rows => {
                p.extend_from_slice(&children.fingerprints)
            }
            _ => self.prints = None,
        }
        self.push_rows(rows, &children.children, values, violations);
        Ok(())
    }

    /// The number of rows in the blocks, or the shape error.
    fn check(
        &self,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
    ) -> Result<usize, GaError> {
        let rows = points.len().checked_div(self.d).unwrap_or(0);
        if rows * self.d != points.len()
            || values.len() != rows * self.m
            || violations.is_some_and(|v| v.len() != rows)
        {
            return Err(GaError::PoolShape {
                points: points.len(),
                values: values.len(),
                violations: violations.map_or(rows, <[f64]>::len),
                d: self.d,
                m: self.m,
            });
        }
        Ok(rows)
    }

    fn push_rows(
        &mut self,
        rows: usize,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
    ) {
        self.points.extend_from_slice(points);
        self.values.extend_from_slice(values);
        match violations {
            Some(v) => self.violations.extend_from_slice(v),
            None => self.violations.resize(self.violations.len() + rows, 0.0),
        }
    }

    /// Keeps only the rows `keep`, in that order (a row listed twice is kept
    /// twice; indices past the end are skipped). Ascending distinct indices
    /// (what selection returns) are compacted in place, without allocating.
    pub fn keep(&mut self, keep: &[usize]) {
        let rows = self.violations.len();
        let keep: Vec<usize> = keep.iter().copied().filter(|&i| i < rows).collect();
        if keep.windows(2).all(|w| w[0] < w[1]) {
            self.compact(&keep);
            return;
        }
        let (d, m) = (self.d, self.m);
        let gather = |from: &[f64], w: usize| -> Vec<f64> {
            let mut out = Vec::with_capacity(keep.len() * w);
            for &i in &keep {
                out.extend_from_slice(&from[i * w..(i + 1) * w]);
            }
            out
        };
        self.points = gather(&self.points, d);
        self.values = gather(&self.values, m);
        self.violations = gather(&self.violations, 1);
        if let Some(e) = &self.encoded {
            self.encoded = Some(gather(e, d));
        }
        if let Some(p) = &self.prints {
            self.prints = Some(keep.iter().map(|&i| p[i]).collect());
        }
    }

    /// [`keep`](Self::keep) for ascending distinct in-range indices: row
    /// `keep[k]` moves to row `k` (never forward, so nothing is overwritten
    /// before it is moved).
    fn compact(&mut self, keep: &[usize]) {
        fn shift<T: Copy>(v: &mut Vec<T>, w: usize, keep: &[usize]) {
            for (k, &i) in keep.iter().enumerate() {
                if i != k {
                    v.copy_within(i * w..(i + 1) * w, k * w);
                }
            }
            v.truncate(keep.len() * w);
        }
        let (d, m) = (self.d, self.m);
        shift(&mut self.points, d, keep);
        shift(&mut self.values, m, keep);
        shift(&mut self.violations, 1, keep);
        if let Some(e) = &mut self.encoded {
            shift(e, d, keep);
        }
        if let Some(p) = &mut self.prints {
            shift(p, 1, keep);
        }
    }

    /// Keeps the first `rows` rows (all of them when there are fewer).
    pub fn truncate(&mut self, rows: usize) {
        self.points.truncate(rows.saturating_mul(self.d));
        self.values.truncate(rows.saturating_mul(self.m));
        self.violations.truncate(rows);
        if let Some(e) = &mut self.encoded {
            e.truncate(rows.saturating_mul(self.d));
        }
        if let Some(p) = &mut self.prints {
            p.truncate(rows);
        }
    }
}

impl Pool for FlatPool {
    #[inline]
    fn len(&self) -> usize {
        self.violations.len()
    }
    #[inline]
    fn point(&self, i: usize) -> &[f64] {
        &self.points[i * self.d..(i + 1) * self.d]
    }
    #[inline]
    fn values(&self, i: usize) -> &[f64] {
        &self.values[i * self.m..(i + 1) * self.m]
    }
    #[inline]
    fn violation(&self, i: usize) -> f64 {
        self.violations[i]
    }
    #[inline]
    fn encoded(&self, i: usize) -> Option<&[f64]> {
        self.encoded
            .as_ref()
            .map(|e| &e[i * self.d..(i + 1) * self.d])
    }
    #[inline]
    fn fingerprint(&self, i: usize) -> Option<u64> {
        self.prints.as_ref().map(|p| p[i])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn flat_pool_reads_like_the_individuals_it_holds() {
        let inds = [
            Individual {
                point: vec![1.0, 2.0],
                values: vec![0.5],
                violation: 0.0,
            },
            Individual {
                point: vec![3.0, 4.0],
                values: vec![f64::NAN],
                violation: 2.5,
            },
        ];
        let mut flat = FlatPool::new(2, 1);
        flat.extend(&[1.0, 2.0, 3.0, 4.0], &[0.5, f64::NAN], Some(&[0.0, 2.5]))
            .unwrap();
        assert_eq!(Pool::len(&flat), Pool::len(&inds[..]));
        for i in 0..2 {
            assert_eq!(flat.point(i), inds[..].point(i));
            assert_eq!(flat.violation(i), inds[..].violation(i));
            assert_eq!(flat.values(i)[0].to_bits(), inds[..].values(i)[0].to_bits());
        }
        let mut copy = flat.clone();
        copy.truncate(1);
        assert_eq!(Pool::len(&copy), 1);
        assert_eq!(copy.point(0), &[1.0, 2.0]);
        let mut ascending = flat.clone();
        ascending.keep(&[1, 7]); // 7 is past the end: skipped
        assert_eq!(Pool::len(&ascending), 1);
        assert_eq!(ascending.point(0), &[3.0, 4.0]);
        assert_eq!(ascending.violation(0), 2.5);
        assert!(ascending.values(0)[0].is_nan());
        flat.keep(&[1, 0]);
        assert_eq!(flat.point(0), &[3.0, 4.0]);
        assert_eq!(flat.violation(0), 2.5);
        assert_eq!(flat.point(1), &[1.0, 2.0]);
    }

    #[test]
    fn flat_pool_rejects_ragged_blocks() {
        let mut flat = FlatPool::new(2, 1);
        let err = flat.extend(&[1.0, 2.0, 3.0], &[0.5], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the pool has 3 point values, 1 objective values and 1 violations: not rows of 2 parameters and 1 objectives"
        );
        assert!(flat.extend(&[1.0, 2.0], &[0.5], Some(&[0.0, 1.0])).is_err());
        assert!(flat.extend(&[1.0, 2.0], &[0.5], None).is_ok());
        assert_eq!(Pool::len(&flat), 1);
    }
}
