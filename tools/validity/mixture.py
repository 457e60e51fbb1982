"""The `mixture` estimator in numpy: the noise-regularised MI of the samples' own distribution (nats).

With (X, Y) uniform over the n rows and X~ = X + sx*Z, Y~ = Y + sy*Z', the densities of X~, Y~ and (X~, Y~) are
Gaussian mixtures with one component per row, and I = E[ln p(x~,y~) - ln p(x~) - ln p(y~)] is averaged over noise
draws, the same number per row. Written from the definition (an independent check of mi/NoisyMixture.java), not a
port of it: no merging of duplicate rows, no subsampling, no replicates.
"""
import numpy as np


def _lse(a):
    m = a.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]


def mixture_mi(x, y, sx, sy, draws_per_row=4, seed=0, chunk=2000):
    """(MI in nats, its Monte Carlo standard error) for samples x [n, dx], y [n, dy] and noise sx, sy."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    cx, cy = x - x.mean(0), y - y.mean(0)
    rows = np.repeat(np.arange(n), draws_per_row)
    qx = cx[rows] + sx * rng.standard_normal((len(rows), x.shape[1]))
    qy = cy[rows] + sy * rng.standard_normal((len(rows), y.shape[1]))
    nx, ny = (cx ** 2).sum(1), (cy ** 2).sum(1)
    out = []
    for a in range(0, len(rows), chunk):
        b = slice(a, a + chunk)
        ex = -np.maximum((qx[b] ** 2).sum(1)[:, None] + nx[None] - 2 * qx[b] @ cx.T, 0) / (2 * sx * sx)
        ey = -np.maximum((qy[b] ** 2).sum(1)[:, None] + ny[None] - 2 * qy[b] @ cy.T, 0) / (2 * sy * sy)
        out.append(_lse(ex + ey) + np.log(n) - _lse(ex) - _lse(ey))
    v = np.concatenate(out)
    return v.mean(), v.std() / np.sqrt(len(v))
