//! Dense row-major matrices and encoded class labels, validated once.
//!
//! Every algorithm in the crate takes a [`Matrix`] and, for classification,
//! [`Labels`]: building either checks shapes and values, so the algorithms can
//! rely on finite data of a consistent shape.

use thiserror::Error;

/// Errors raised while validating input data.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    #[error(
        "X is empty: it needs at least one row and one column (got {rows} rows × {cols} columns)"
    )]
    Empty { rows: usize, cols: usize },
    #[error("X has {len} values, which is not {rows} rows × {cols} columns")]
    Shape {
        len: usize,
        rows: usize,
        cols: usize,
    },
    #[error("X[{row}][{col}] is {value}: every value must be finite (no NaN or infinity)")]
    NonFinite { row: usize, col: usize, value: f64 },
    #[error("X has {x_rows} rows but y has {y_len} labels: they must have the same length")]
    LengthMismatch { x_rows: usize, y_len: usize },
    #[error("label y[{index}] = {code} is not a class code below n_classes = {n_classes}")]
    LabelOutOfRange {
        index: usize,
        code: u32,
        n_classes: usize,
    },
    #[error("row index {index} is out of range for a data set of {rows} rows")]
    IndexOutOfRange { index: usize, rows: usize },
}

/// A dense matrix of finite `f64` values in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    data: Vec<f64>,
    rows: usize,
    cols: usize,
}

impl Matrix {
    /// Builds a matrix from row-major values, checking shape and finiteness.
    pub fn new(data: Vec<f64>, rows: usize, cols: usize) -> Result<Self, DataError> {
        if rows == 0 || cols == 0 {
            return Err(DataError::Empty { rows, cols });
        }
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(DataError::Shape {
                len: data.len(),
                rows,
                cols,
            });
        }
        if let Some(pos) = data.iter().position(|v| !v.is_finite()) {
            return Err(DataError::NonFinite {
                row: pos / cols,
                col: pos % cols,
                value: data[pos],
            });
        }
        Ok(Self { data, rows, cols })
    }

    /// Builds a matrix from rows of equal length.
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self, DataError> {
        let cols = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * cols);
        for row in rows {
            if row.len() != cols {
                return Err(DataError::Shape {
                    len: row.len(),
                    rows: 1,
                    cols,
                });
            }
            data.extend_from_slice(row);
        }
        Self::new(data, rows.len(), cols)
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// All values, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// Row `i` (panics only on an index the crate itself computed out of range).
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// A new matrix made of the given rows, in the given order.
    pub fn select_rows(&self, indices: &[usize]) -> Result<Self, DataError> {
        let mut data = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            if i >= self.rows {
                return Err(DataError::IndexOutOfRange {
                    index: i,
                    rows: self.rows,
                });
            }
            data.extend_from_slice(self.row(i));
        }
        Self::new(data, indices.len(), self.cols)
    }
}

/// Class labels encoded as codes `0..n_classes`, checked against `n_classes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    codes: Vec<u32>,
    n_classes: usize,
}

impl Labels {
    pub fn new(codes: Vec<u32>, n_classes: usize) -> Result<Self, DataError> {
        if let Some(index) = codes.iter().position(|&c| c as usize >= n_classes) {
            return Err(DataError::LabelOutOfRange {
                index,
                code: codes[index],
                n_classes,
            });
        }
        Ok(Self { codes, n_classes })
    }

    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Number of samples of each class code.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes];
        for &c in &self.codes {
            counts[c as usize] += 1;
        }
        counts
    }

    /// The labels of the given rows.
    pub fn select(&self, indices: &[usize]) -> Result<Self, DataError> {
        let mut codes = Vec::with_capacity(indices.len());
        for &i in indices {
            let code = *self.codes.get(i).ok_or(DataError::IndexOutOfRange {
                index: i,
                rows: self.codes.len(),
            })?;
            codes.push(code);
        }
        Ok(Self {
            codes,
            n_classes: self.n_classes,
        })
    }
}

/// Checks that `x` and `y` describe the same samples.
pub fn check_xy(x: &Matrix, y: &Labels) -> Result<(), DataError> {
    if x.rows() != y.len() {
        return Err(DataError::LengthMismatch {
            x_rows: x.rows(),
            y_len: y.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn rejects_nan_with_position() {
        let err = Matrix::new(vec![1.0, 2.0, f64::NAN, 4.0], 2, 2).unwrap_err();
        assert!(matches!(err, DataError::NonFinite { row: 1, col: 0, value } if value.is_nan()));
        assert!(err.to_string().contains("X[1][0] is NaN"));
    }

    #[test]
    fn rejects_ragged_and_empty() {
        assert!(matches!(
            Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0]]),
            Err(DataError::Shape { .. })
        ));
        assert!(matches!(
            Matrix::new(vec![], 0, 3),
            Err(DataError::Empty { .. })
        ));
        assert!(matches!(
            Labels::new(vec![0, 3], 3),
            Err(DataError::LabelOutOfRange {
                index: 1,
                code: 3,
                ..
            })
        ));
    }

    #[test]
    fn selects_rows_in_order() {
        let m = Matrix::new((0..6).map(f64::from).collect(), 3, 2).unwrap();
        let s = m.select_rows(&[2, 0]).unwrap();
        assert_eq!(s.as_slice(), &[4.0, 5.0, 0.0, 1.0]);
        assert!(m.select_rows(&[3]).is_err());
    }
}
