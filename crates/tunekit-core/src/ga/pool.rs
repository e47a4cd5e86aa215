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
/// per row, plus one violation.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatPool {
    d: usize,
    m: usize,
    points: Vec<f64>,
    values: Vec<f64>,
    violations: Vec<f64>,
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
        let rows = if self.d == 0 {
            0
        } else {
            points.len() / self.d
        };
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
        self.points.extend_from_slice(points);
        self.values.extend_from_slice(values);
        match violations {
            Some(v) => self.violations.extend_from_slice(v),
            None => self.violations.resize(self.violations.len() + rows, 0.0),
        }
        Ok(())
    }

    /// Keeps only the rows `keep` (indices, each at most once), in that order.
    pub fn keep(&mut self, keep: &[usize]) {
        let (d, m) = (self.d, self.m);
        let mut points = Vec::with_capacity(keep.len() * d);
        let mut values = Vec::with_capacity(keep.len() * m);
        let mut violations = Vec::with_capacity(keep.len());
        for &i in keep.iter().filter(|&&i| i < self.violations.len()) {
            points.extend_from_slice(&self.points[i * d..(i + 1) * d]);
            values.extend_from_slice(&self.values[i * m..(i + 1) * m]);
            violations.push(self.violations[i]);
        }
        self.points = points;
        self.values = values;
        self.violations = violations;
    }

    /// Keeps the first `rows` rows (all of them when there are fewer).
    pub fn truncate(&mut self, rows: usize) {
        self.points.truncate(rows.saturating_mul(self.d));
        self.values.truncate(rows.saturating_mul(self.m));
        self.violations.truncate(rows);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_pool_reads_like_the_individuals_it_holds() {
        let inds = vec![
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
            assert_eq!(
                flat.values(i)[0].to_bits(),
                inds[..].values(i)[0].to_bits()
            );
        }
        let mut copy = flat.clone();
        copy.truncate(1);
        assert_eq!(Pool::len(&copy), 1);
        assert_eq!(copy.point(0), &[1.0, 2.0]);
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
