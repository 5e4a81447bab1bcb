//! Expression swell cannot come back silently: on dense networks up to depth 64, the DAG that
//! computes the loss and its whole gradient (forward definitions plus the live adjoints) stays
//! within 3x the DAG of the forward pass alone (the Baur–Strassen bound), and grows linearly
//! with depth.

mod common;

#[test]
fn gradient_dag_is_at_most_3x_the_forward_dag_up_to_depth_64() {
    let mut previous: Option<usize> = None;
    for width in [4, 8] {
        for depth in [2, 4, 8, 16, 32, 64] {
            let src = common::dense_network(width, depth);
            let a = common::analyse("dense.sd", &src, 0);
            let (forward, total) = a.dag_sizes();
            let ratio = total as f64 / forward as f64;
            println!("width {width:2} depth {depth:2}: forward {forward:6} nodes, with gradient {total:6} ({ratio:.2}x)");
            assert!(ratio <= 3.0, "width {width}, depth {depth}: {ratio:.2}x");
            if width == 4 {
                if let Some(p) = previous {
                    // Doubling the depth at most doubles the size, plus a constant.
                    assert!(total <= 2 * p + 200, "depth {depth}: {total} after {p}");
                }
                previous = Some(total);
            }
        }
    }
}
