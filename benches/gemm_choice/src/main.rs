//! matrixmultiply against gemm, single-threaded, on the five products of one forward and
//! backward pass of a 784-128-10 MLP over 1,000 rows, with the strides the batched evaluator
//! passes (weights row-major `[out, in]`, read transposed by strides; no copies).
//!
//! Run: `cargo run --release --manifest-path benches/gemm_choice/Cargo.toml`. Prints the median
//! of 31 timings of each crate, alternated, and their ratio.

use std::time::Instant;

/// One product `C (m×n) = A (m×k) · B (k×n)`, each operand as (row stride, column stride).
struct Product {
    m: usize,
    k: usize,
    n: usize,
    a: (isize, isize),
    b: (isize, isize),
    c: (isize, isize),
}

fn products(rows: usize, i: usize, j: usize, k: usize) -> Vec<Product> {
    vec![
        // s[n,j] = Σ_i x[n,i]·w1[j,i]
        Product {
            m: rows,
            k: i,
            n: j,
            a: (i as isize, 1),
            b: (1, i as isize),
            c: (j as isize, 1),
        },
        // z[n,k] = Σ_j h[n,j]·w2[k,j]
        Product {
            m: rows,
            k: j,
            n: k,
            a: (j as isize, 1),
            b: (1, j as isize),
            c: (k as isize, 1),
        },
        // ∂w2[k,j] = Σ_n dz[n,k]·h[n,j]
        Product {
            m: k,
            k: rows,
            n: j,
            a: (1, k as isize),
            b: (j as isize, 1),
            c: (j as isize, 1),
        },
        // ∂h[n,j] = Σ_k dz[n,k]·w2[k,j]
        Product {
            m: rows,
            k: k,
            n: j,
            a: (k as isize, 1),
            b: (j as isize, 1),
            c: (j as isize, 1),
        },
        // ∂w1[j,i] = Σ_n ds[n,j]·x[n,i]
        Product {
            m: j,
            k: rows,
            n: i,
            a: (1, j as isize),
            b: (i as isize, 1),
            c: (i as isize, 1),
        },
    ]
}

fn data(len: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect()
}

fn run_mm(p: &Product, a: &[f64], b: &[f64], c: &mut [f64]) {
    // SAFETY: the buffers hold m×k, k×n and m×n elements at these strides (made so in main).
    unsafe {
        matrixmultiply::dgemm(
            p.m,
            p.k,
            p.n,
            1.0,
            a.as_ptr(),
            p.a.0,
            p.a.1,
            b.as_ptr(),
            p.b.0,
            p.b.1,
            0.0,
            c.as_mut_ptr(),
            p.c.0,
            p.c.1,
        );
    }
}

fn run_gemm(p: &Product, a: &[f64], b: &[f64], c: &mut [f64]) {
    // SAFETY: as above.
    unsafe {
        gemm::gemm(
            p.m,
            p.n,
            p.k,
            c.as_mut_ptr(),
            p.c.1,
            p.c.0,
            false,
            a.as_ptr(),
            p.a.1,
            p.a.0,
            b.as_ptr(),
            p.b.1,
            p.b.0,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

fn main() {
    let shapes: [(usize, usize, usize, usize); 2] = [(1000, 784, 128, 10), (1000, 8, 4, 2)];
    for (rows, i, j, k) in shapes {
        let ps = products(rows, i, j, k);
        let bufs: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = ps
            .iter()
            .enumerate()
            .map(|(s, p)| {
                (
                    data(p.m * p.k, s as u64),
                    data(p.k * p.n, 100 + s as u64),
                    vec![0.0; p.m * p.n],
                )
            })
            .collect();
        let mut check = bufs.clone();
        for (p, (a, b, c)) in ps.iter().zip(check.iter_mut()) {
            run_mm(p, a, b, c);
        }
        let mut bufs = bufs;
        let mut time = |f: fn(&Product, &[f64], &[f64], &mut [f64])| {
            let t = Instant::now();
            for (p, (a, b, c)) in ps.iter().zip(bufs.iter_mut()) {
                f(p, a, b, c);
            }
            t.elapsed().as_secs_f64()
        };
        for _ in 0..5 {
            time(run_mm);
            time(run_gemm);
        }
        let (mut tm, mut tg, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..31 {
            let (a, b) = if round % 2 == 0 {
                let a = time(run_mm);
                (a, time(run_gemm))
            } else {
                let b = time(run_gemm);
                (time(run_mm), b)
            };
            tm.push(a);
            tg.push(b);
            ratio.push(b / a);
        }
        for (p, ((_, _, c1), (_, _, c2))) in ps.iter().zip(check.iter().zip(&bufs)) {
            for (x, y) in c1.iter().zip(c2) {
                assert!(
                    (x - y).abs() <= 1e-12 * (1.0 + x.abs()),
                    "{}x{}x{}",
                    p.m,
                    p.k,
                    p.n
                );
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "{rows} rows, {i}-{j}-{k}: matrixmultiply {:.3} ms, gemm {:.3} ms, gemm / matrixmultiply (paired median) {:.3}",
            median(&mut tm) * 1e3,
            median(&mut tg) * 1e3,
            median(&mut ratio)
        );
    }
}
