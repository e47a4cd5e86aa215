//! How the GA sees a space's parameters, and the working form of a child.
//!
//! Operators work on *encoded* numerical genes (the space's unit interval,
//! log scale in log space, discrete levels of equal width) and on category
//! indices, then decode: decoding rounds to the step grid, clamps to the
//! bounds and keeps integers integral, so every child is valid by
//! construction.

use crate::space::{Codec, Domain, Space};

use super::error::GaError;
use super::params::Crossover;

/// The kind of one gene.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Gene {
    /// A float without a grid.
    Float,
    /// A float on a grid, or an integer: `step` apart in value form.
    Stepped { step: f64, low: f64, high: f64 },
    /// A category index in `0..n`.
    Categorical { n: usize },
}

/// The genes of a space and which crossover applies to each.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub genes: Vec<Gene>,
    /// Each gene's encoding, worked out once.
    codecs: Vec<Codec>,
    /// Genes crossed by the float operator.
    pub float_genes: Vec<usize>,
    /// Genes crossed by the discrete (exchange) operator.
    pub discrete_genes: Vec<usize>,
}

/// Spaces whose range does not fit in a double cannot be encoded.
pub(crate) fn check_space(space: &Space) -> Result<(), GaError> {
    if space.is_empty() {
        return Err(GaError::EmptySpace);
    }
    for p in space.params() {
        if let Domain::Float { low, high, .. } = p.domain {
            if !(high - low).is_finite() {
                return Err(GaError::RangeOverflow {
                    name: p.name.clone(),
                    low,
                    high,
                });
            }
        }
    }
    Ok(())
}

impl Layout {
    pub fn new(space: &Space, crossover: &Crossover) -> Self {
        let mut genes = Vec::with_capacity(space.len());
        let mut float_genes = Vec::new();
        let mut discrete_genes = Vec::new();
        for (g, p) in space.params().iter().enumerate() {
            let gene = match p.domain {
                Domain::Float { step: None, .. } => Gene::Float,
                Domain::Float {
                    low,
                    high,
                    step: Some(step),
                    ..
                } => Gene::Stepped { step, low, high },
                Domain::Int {
                    low, high, step, ..
                } => Gene::Stepped {
                    step: step as f64,
                    low: low as f64,
                    high: high as f64,
                },
                Domain::Categorical { n_choices } => Gene::Categorical { n: n_choices },
            };
            let is_int = matches!(p.domain, Domain::Int { .. });
            match gene {
                Gene::Categorical { .. } => discrete_genes.push(g),
                _ if is_int && !crossover.ints_as_floats => discrete_genes.push(g),
                _ => float_genes.push(g),
            }
            genes.push(gene);
        }
        Self {
            genes,
            codecs: space.params().iter().map(|p| p.domain.codec()).collect(),
            float_genes,
            discrete_genes,
        }
    }

    pub fn len(&self) -> usize {
        self.genes.len()
    }

    /// Encodes a valid point into `out` (categories stay indices).
    pub fn encode_into(&self, point: &[f64], out: &mut Vec<f64>) {
        out.extend(self.codecs.iter().zip(point).map(|(c, &v)| c.encode(v)));
    }

    /// The valid value nearest to encoded coordinate `u` of gene `g`.
    #[inline]
    pub fn decode(&self, g: usize, u: f64) -> f64 {
        self.codecs[g].decode(u)
    }

    #[inline]
    pub fn encode(&self, g: usize, v: f64) -> f64 {
        self.codecs[g].encode(v)
    }

    /// Value `v` of a stepped gene moved one step up (`up`) or down, clamped
    /// and snapped to the grid.
    pub fn step_from(&self, g: usize, v: f64, up: bool) -> f64 {
        match self.genes[g] {
            Gene::Stepped { step, low, high } => {
                let w = if up { v + step } else { v - step };
                let w = w.clamp(low, high);
                self.decode(g, self.encode(g, w))
            }
            _ => v,
        }
    }
}

/// A child being bred: value form plus encoded form. A NaN value marks a gene
/// whose encoded form changed and must be decoded by [`Genome::finish`];
/// `changed` lists those genes (possibly more than once), so finishing
/// decodes only them.
#[derive(Debug, Clone)]
pub(crate) struct Genome {
    pub value: Vec<f64>,
    pub enc: Vec<f64>,
    changed: Vec<usize>,
}

impl Genome {
    pub fn new(value: &[f64], enc: &[f64]) -> Self {
        Self {
            value: value.to_vec(),
            enc: enc.to_vec(),
            changed: Vec::new(),
        }
    }

    /// An empty genome for `load`ing parents into, reused from pair to pair.
    pub fn with_len(d: usize) -> Self {
        Self {
            value: Vec::with_capacity(d),
            enc: Vec::with_capacity(d),
            changed: Vec::with_capacity(d),
        }
    }

    /// Makes this genome a copy of a parent (value and encoded form).
    #[inline]
    pub fn load(&mut self, value: &[f64], enc: &[f64]) {
        self.value.clear();
        self.value.extend_from_slice(value);
        self.enc.clear();
        self.enc.extend_from_slice(enc);
        self.changed.clear();
    }

    /// Sets gene `g`'s encoded value and marks it for decoding.
    #[inline]
    pub fn set_encoded(&mut self, g: usize, u: f64) {
        self.enc[g] = u;
        self.value[g] = f64::NAN;
        self.changed.push(g);
    }

    /// The current value of gene `g` (decoding it if needed).
    #[inline]
    pub fn value_of(&self, layout: &Layout, g: usize) -> f64 {
        let v = self.value[g];
        if v.is_nan() {
            layout.decode(g, self.enc[g])
        } else {
            v
        }
    }

    /// Exchanges gene `g` with another genome.
    #[inline]
    pub fn swap_gene(&mut self, other: &mut Genome, g: usize) {
        std::mem::swap(&mut self.value[g], &mut other.value[g]);
        std::mem::swap(&mut self.enc[g], &mut other.enc[g]);
        for x in [&mut *self, other] {
            if x.value[g].is_nan() {
                x.changed.push(g);
            }
        }
    }

    /// Decodes every changed gene; returns the point in value form.
    pub fn finish(self, layout: &Layout) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.value.len());
        self.finish_into(layout, &mut out);
        out
    }

    /// Appends the point in value form to `out`, decoding the changed genes.
    #[inline]
    pub fn finish_into(&self, layout: &Layout, out: &mut Vec<f64>) {
        let start = out.len();
        out.extend_from_slice(&self.value);
        let row = &mut out[start..];
        for &g in &self.changed {
            if row[g].is_nan() {
                row[g] = layout.decode(g, self.enc[g]);
            }
        }
    }

    /// [`finish_into`](Self::finish_into), and the point's encoding (what
    /// [`Layout::encode_into`] gives for it) appended to `out_enc`: the
    /// unchanged genes' encodings are already known.
    #[inline]
    pub fn finish_encoded_into(&self, layout: &Layout, out: &mut Vec<f64>, out_enc: &mut Vec<f64>) {
        let start = out.len();
        self.finish_into(layout, out);
        let enc_start = out_enc.len();
        out_enc.extend_from_slice(&self.enc);
        let (row, enc) = (&out[start..], &mut out_enc[enc_start..]);
        for &g in &self.changed {
            enc[g] = layout.encode(g, row[g]);
        }
    }
}
