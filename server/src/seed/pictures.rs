//! Product pictures for the demo shops, drawn at seed time so the repository carries no
//! image files: a soft gradient and a simple flat drawing of the product, saved in the
//! tenant's media library like an upload (PNG original, WebP sizes).

use image::{Rgb, RgbImage};

/// Side of each square picture, in pixels.
const SIDE: u32 = 720;

type Colour = [u8; 3];

/// One flat shape, in coordinates from 0 to 1 across the picture.
enum Shape {
    Rect(f32, f32, f32, f32, Colour),
    Circle(f32, f32, f32, Colour),
    Polygon(&'static [(f32, f32)], Colour),
}

/// What a demo product looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawing {
    Anvil,
    RocketSkates,
    Magnet,
    BirdSeed,
    SolarPanel,
    HomeBattery,
    WindTurbine,
}

impl Drawing {
    fn background(self) -> (Colour, Colour) {
        match self {
            Drawing::Anvil => ([255, 228, 230], [254, 205, 211]),
            Drawing::RocketSkates => ([254, 243, 199], [253, 230, 138]),
            Drawing::Magnet => ([224, 231, 255], [199, 210, 254]),
            Drawing::BirdSeed => ([236, 252, 203], [217, 249, 157]),
            Drawing::SolarPanel => ([204, 251, 241], [153, 246, 228]),
            Drawing::HomeBattery => ([224, 242, 254], [186, 230, 253]),
            Drawing::WindTurbine => ([240, 253, 250], [204, 251, 241]),
        }
    }

    fn shapes(self) -> Vec<Shape> {
        use Shape::*;
        const IRON: Colour = [51, 65, 85];
        const STEEL: Colour = [100, 116, 139];
        match self {
            Drawing::Anvil => vec![
                Polygon(
                    &[(0.12, 0.38), (0.30, 0.36), (0.30, 0.46), (0.20, 0.44)],
                    IRON,
                ),
                Rect(0.30, 0.34, 0.84, 0.46, IRON),
                Rect(0.44, 0.46, 0.70, 0.62, STEEL),
                Polygon(
                    &[(0.34, 0.74), (0.44, 0.62), (0.70, 0.62), (0.80, 0.74)],
                    IRON,
                ),
                Rect(0.30, 0.74, 0.84, 0.78, [30, 41, 59]),
            ],
            Drawing::RocketSkates => vec![
                Polygon(
                    &[(0.16, 0.52), (0.04, 0.46), (0.04, 0.62), (0.16, 0.58)],
                    [249, 115, 22],
                ),
                Rect(0.16, 0.48, 0.52, 0.60, [220, 38, 38]),
                Polygon(&[(0.52, 0.48), (0.62, 0.54), (0.52, 0.60)], [185, 28, 28]),
                Rect(0.40, 0.26, 0.62, 0.62, [30, 41, 59]),
                Rect(0.40, 0.56, 0.86, 0.68, [30, 41, 59]),
                Circle(0.48, 0.76, 0.06, STEEL),
                Circle(0.76, 0.76, 0.06, STEEL),
            ],
            Drawing::Magnet => vec![
                Circle(0.5, 0.46, 0.30, [220, 38, 38]),
                Circle(0.5, 0.46, 0.14, [224, 231, 255]),
                Rect(0.20, 0.46, 0.36, 0.70, [220, 38, 38]),
                Rect(0.64, 0.46, 0.80, 0.70, [220, 38, 38]),
                Rect(0.36, 0.46, 0.64, 0.80, [199, 210, 254]),
                Rect(0.20, 0.70, 0.36, 0.82, [203, 213, 225]),
                Rect(0.64, 0.70, 0.80, 0.82, [203, 213, 225]),
            ],
            Drawing::BirdSeed => vec![
                Polygon(
                    &[(0.26, 0.30), (0.74, 0.30), (0.80, 0.82), (0.20, 0.82)],
                    [180, 140, 90],
                ),
                Rect(0.30, 0.22, 0.70, 0.30, [146, 108, 62]),
                Rect(0.30, 0.46, 0.70, 0.62, [254, 249, 195]),
                Circle(0.40, 0.54, 0.03, [202, 138, 4]),
                Circle(0.50, 0.52, 0.03, [202, 138, 4]),
                Circle(0.60, 0.55, 0.03, [202, 138, 4]),
                Circle(0.30, 0.88, 0.025, [202, 138, 4]),
                Circle(0.70, 0.90, 0.025, [202, 138, 4]),
            ],
            Drawing::SolarPanel => vec![
                Polygon(
                    &[(0.22, 0.24), (0.86, 0.24), (0.78, 0.62), (0.14, 0.62)],
                    [30, 64, 175],
                ),
                Rect(0.16, 0.42, 0.84, 0.44, [147, 197, 253]),
                Polygon(
                    &[(0.41, 0.24), (0.43, 0.24), (0.35, 0.62), (0.33, 0.62)],
                    [147, 197, 253],
                ),
                Polygon(
                    &[(0.63, 0.24), (0.65, 0.24), (0.57, 0.62), (0.55, 0.62)],
                    [147, 197, 253],
                ),
                Rect(0.46, 0.62, 0.52, 0.80, STEEL),
                Rect(0.34, 0.80, 0.66, 0.84, IRON),
            ],
            Drawing::HomeBattery => vec![
                Rect(0.30, 0.18, 0.70, 0.84, [248, 250, 252]),
                Rect(0.30, 0.18, 0.70, 0.22, [148, 163, 184]),
                Rect(0.38, 0.34, 0.62, 0.42, [20, 184, 166]),
                Rect(0.38, 0.46, 0.62, 0.54, [20, 184, 166]),
                Rect(0.38, 0.58, 0.62, 0.66, [20, 184, 166]),
                Rect(0.38, 0.70, 0.62, 0.78, [203, 213, 225]),
            ],
            Drawing::WindTurbine => vec![
                Polygon(
                    &[(0.49, 0.34), (0.51, 0.34), (0.54, 0.88), (0.46, 0.88)],
                    [226, 232, 240],
                ),
                Polygon(
                    &[(0.49, 0.30), (0.53, 0.32), (0.56, 0.06), (0.52, 0.06)],
                    [248, 250, 252],
                ),
                Polygon(
                    &[(0.52, 0.33), (0.50, 0.36), (0.74, 0.50), (0.77, 0.46)],
                    [248, 250, 252],
                ),
                Polygon(
                    &[(0.48, 0.36), (0.47, 0.32), (0.24, 0.46), (0.26, 0.50)],
                    [248, 250, 252],
                ),
                Circle(0.50, 0.33, 0.03, STEEL),
                Rect(0.30, 0.88, 0.70, 0.92, [15, 118, 110]),
            ],
        }
    }
}

/// The drawing as PNG bytes.
pub fn png(drawing: Drawing) -> Vec<u8> {
    let (top, bottom) = drawing.background();
    let side = SIDE as f32;
    let mut picture = RgbImage::from_fn(SIDE, SIDE, |_, y| {
        let t = y as f32 / side;
        Rgb(std::array::from_fn(|c| {
            (f32::from(top[c]) * (1.0 - t) + f32::from(bottom[c]) * t) as u8
        }))
    });
    for shape in drawing.shapes() {
        for (x, y, pixel) in picture.enumerate_pixels_mut() {
            let (px, py) = ((x as f32 + 0.5) / side, (y as f32 + 0.5) / side);
            let colour = match &shape {
                Shape::Rect(x0, y0, x1, y1, colour) => {
                    (px >= *x0 && px <= *x1 && py >= *y0 && py <= *y1).then_some(colour)
                }
                Shape::Circle(cx, cy, r, colour) => {
                    ((px - cx).powi(2) + (py - cy).powi(2) <= r * r).then_some(colour)
                }
                Shape::Polygon(points, colour) => inside(points, px, py).then_some(colour),
            };
            if let Some(colour) = colour {
                *pixel = Rgb(*colour);
            }
        }
    }
    let mut bytes = Vec::new();
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a picture in memory encodes");
    bytes
}

/// Even-odd rule: whether the point is inside the polygon.
fn inside(points: &[(f32, f32)], x: f32, y: f32) -> bool {
    let mut inside = false;
    let mut j = points.len() - 1;
    for i in 0..points.len() {
        let ((xi, yi), (xj, yj)) = (points[i], points[j]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_drawing_is_a_square_png_with_the_product_on_it() {
        for drawing in [Drawing::Anvil, Drawing::WindTurbine] {
            let picture = image::load_from_memory(&png(drawing)).unwrap().to_rgb8();
            assert_eq!(picture.dimensions(), (SIDE, SIDE));
            // The left edge is bare gradient on every row.
            let drawn = picture
                .enumerate_pixels()
                .filter(|(_, y, p)| *p != picture.get_pixel(0, *y))
                .count();
            assert!(
                drawn > (SIDE * SIDE / 20) as usize,
                "{drawing:?} draws something"
            );
        }
    }
}
