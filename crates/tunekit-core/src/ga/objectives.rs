//! Objective values in minimisation form, as one flat row-major matrix.

use super::error::GaError;
use super::individual::Direction;

/// `rows × m` objective values, negated where maximised; `has_nan[i]` marks
/// rows with a NaN (failed evaluations).
#[derive(Debug, Clone)]
pub(crate) struct Objectives {
    pub m: usize,
    pub data: Vec<f64>,
    pub has_nan: Vec<bool>,
}

impl Objectives {
    /// Checks every row's length against `directions` and converts.
    pub fn new<V: AsRef<[f64]>>(
        rows: impl ExactSizeIterator<Item = V>,
        directions: &[Direction],
    ) -> Result<Self, GaError> {
        let m = directions.len();
        if m == 0 {
            return Err(GaError::NoObjectives);
        }
        let n = rows.len();
        let mut data = Vec::with_capacity(n * m);
        let mut has_nan = Vec::with_capacity(n);
        for (index, row) in rows.enumerate() {
            let row = row.as_ref();
            if row.len() != m {
                return Err(GaError::ObjectiveCount {
                    index,
                    expected: m,
                    got: row.len(),
                });
            }
            let mut nan = false;
            for (&v, d) in row.iter().zip(directions) {
                nan |= v.is_nan();
                // + 0.0 turns −0.0 into +0.0 so that total orders see them equal
                data.push(d.to_min(v) + 0.0);
            }
            has_nan.push(nan);
        }
        Ok(Self { m, data, has_nan })
    }

    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.m..(i + 1) * self.m]
    }

    pub fn len(&self) -> usize {
        self.has_nan.len()
    }
}
