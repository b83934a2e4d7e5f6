//! Server-side SVG charts for dashboards: plain numbers placed on a grid here,
//! drawn by the template (`templates/monitoring/chart.html`). Readable without
//! colour: every chart has a title and a description, axis labels, a value on
//! each bar, and slots below the SLA target are hatched, not just coloured.

use super::format_thousandths;
use super::stats::Slot;

pub const WIDTH: i64 = 720;
pub const HEIGHT: i64 = 240;
const LEFT: i64 = 56;
const RIGHT: i64 = 8;
const TOP: i64 = 12;
const BOTTOM: i64 = 28;

/// The words of a chart, already translated.
pub struct ChartText {
    pub title: String,
    pub desc: String,
    /// What a slot without results says.
    pub no_data: String,
}

pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// What a reader hovering or a screen reader gets: the slot and its value.
    pub label: String,
    /// Below the target: drawn hatched.
    pub missed: bool,
}

pub struct Tick {
    pub x: String,
    pub y: String,
    pub label: String,
}

pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub bars: Vec<Bar>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    /// The target line's height and label, if any.
    pub target: Option<Tick>,
    pub plot_left: i64,
    pub plot_right: i64,
    pub plot_bottom: i64,
    pub width: i64,
    pub height: i64,
}

fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// A slot's start as its bar says it: the reader's local time for slots of
/// hours; for slots of days, the UTC day they are made of (the daily rollups
/// are UTC days, which the page says).
fn slot_label(slot: &Slot, slot_hours: i64, zone: chrono_tz::Tz) -> String {
    if slot_hours < 24 {
        local(slot, zone).format("%Y-%m-%d %H:%M").to_string()
    } else {
        slot.start.format("%Y-%m-%d").to_string()
    }
}

fn local(slot: &Slot, zone: chrono_tz::Tz) -> chrono::DateTime<chrono_tz::Tz> {
    slot.start.and_utc().with_timezone(&zone)
}

struct Frame {
    plot_width: f64,
    plot_height: f64,
    slot_width: f64,
}

impl Frame {
    /// The chart drawn in this frame: its bars, its ticks (the y axis's, then
    /// the x axis's) and the target line, if any.
    fn chart(
        &self,
        id: &str,
        text: ChartText,
        bars: Vec<Bar>,
        [y_ticks, x_ticks]: [Vec<Tick>; 2],
        target: Option<Tick>,
    ) -> Chart {
        Chart {
            id: id.to_owned(),
            title: text.title,
            desc: text.desc,
            bars,
            y_ticks,
            x_ticks,
            target,
            plot_left: LEFT,
            plot_right: LEFT + self.plot_width as i64,
            plot_bottom: TOP + self.plot_height as i64,
            width: WIDTH,
            height: HEIGHT,
        }
    }
}

fn frame(slots: usize) -> Frame {
    let plot_width = (WIDTH - LEFT - RIGHT) as f64;
    Frame {
        plot_width,
        plot_height: (HEIGHT - TOP - BOTTOM) as f64,
        slot_width: plot_width / slots.max(1) as f64,
    }
}

fn x_ticks(slots: &[Slot], slot_hours: i64, zone: chrono_tz::Tz, f: &Frame) -> Vec<Tick> {
    let step = slots.len().div_ceil(6).max(1);
    slots
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, slot)| Tick {
            x: px(LEFT as f64 + i as f64 * f.slot_width),
            y: px((HEIGHT - 8) as f64),
            label: if slot_hours < 24 {
                local(slot, zone).format("%d/%m %H:%M").to_string()
            } else {
                slot.start.format("%d/%m").to_string()
            },
        })
        .collect()
}

/// Availability per slot against the SLA target (thousandths of a percent).
pub fn availability(
    id: &str,
    text: ChartText,
    slots: &[Slot],
    slot_hours: i64,
    zone: chrono_tz::Tz,
    target: i64,
) -> Chart {
    let no_data = &text.no_data;
    let f = frame(slots.len());
    let lowest = slots
        .iter()
        .filter_map(Slot::availability)
        .chain(std::iter::once(target))
        .min()
        .unwrap_or(target);
    // The axis starts at the whole percent under the lowest value (at most 99 %).
    let floor = ((lowest / 1000 - 1).clamp(0, 99)) * 1000;
    let span = (100_000 - floor) as f64;
    let y_of = |value: i64| TOP as f64 + f.plot_height * (100_000 - value) as f64 / span;
    let bars = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let when = slot_label(slot, slot_hours, zone);
            match slot.availability() {
                Some(value) => {
                    let top = y_of(value.max(floor));
                    Bar {
                        x: px(LEFT as f64 + i as f64 * f.slot_width + 0.5),
                        y: px(top),
                        width: px((f.slot_width - 1.0).max(0.5)),
                        height: px((TOP as f64 + f.plot_height - top).max(0.5)),
                        label: format!("{when}: {} %", format_thousandths(value)),
                        missed: value < target,
                    }
                }
                None => Bar {
                    x: px(LEFT as f64 + i as f64 * f.slot_width + 0.5),
                    y: px(TOP as f64 + f.plot_height - 0.5),
                    width: px((f.slot_width - 1.0).max(0.5)),
                    height: px(0.5),
                    label: format!("{when}: {no_data}"),
                    missed: false,
                },
            }
        })
        .collect();
    let y_ticks = [floor, (floor + 100_000) / 2, 100_000]
        .into_iter()
        .map(|value| Tick {
            x: px((LEFT - 4) as f64),
            y: px(y_of(value) + 4.0),
            label: format!("{} %", format_thousandths(value)),
        })
        .collect();
    let target = Tick {
        x: px((WIDTH - RIGHT) as f64),
        y: px(y_of(target)),
        label: format!("{} %", format_thousandths(target)),
    };
    let x_ticks = x_ticks(slots, slot_hours, zone, &f);
    f.chart(id, text, bars, [y_ticks, x_ticks], Some(target))
}

/// A "nice" ceiling for an axis: 1, 2 or 5 times a power of ten.
fn nice_ceiling(value: i64) -> i64 {
    let mut power = 1;
    loop {
        for step in [1, 2, 5] {
            if step * power >= value {
                return step * power;
            }
        }
        power *= 10;
    }
}

/// Average response time per slot.
pub fn response_time(
    id: &str,
    text: ChartText,
    slots: &[Slot],
    slot_hours: i64,
    zone: chrono_tz::Tz,
) -> Chart {
    let no_data = &text.no_data;
    let f = frame(slots.len());
    let top_value = nice_ceiling(
        slots
            .iter()
            .filter_map(Slot::average_ms)
            .max()
            .unwrap_or(0)
            .max(10),
    );
    let y_of =
        |value: i64| TOP as f64 + f.plot_height * (top_value - value) as f64 / top_value as f64;
    let bars = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let when = slot_label(slot, slot_hours, zone);
            let (value, label) = match slot.average_ms() {
                Some(ms) => (ms, format!("{when}: {ms} ms")),
                None => (0, format!("{when}: {no_data}")),
            };
            let top = y_of(value).min(TOP as f64 + f.plot_height - 0.5);
            Bar {
                x: px(LEFT as f64 + i as f64 * f.slot_width + 0.5),
                y: px(top),
                width: px((f.slot_width - 1.0).max(0.5)),
                height: px(TOP as f64 + f.plot_height - top),
                label,
                missed: false,
            }
        })
        .collect();
    let y_ticks = [0, top_value / 2, top_value]
        .into_iter()
        .map(|value| Tick {
            x: px((LEFT - 4) as f64),
            y: px(y_of(value) + 4.0),
            label: format!("{value} ms"),
        })
        .collect();
    let x_ticks = x_ticks(slots, slot_hours, zone, &f);
    f.chart(id, text, bars, [y_ticks, x_ticks], None)
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn axis_ceilings_are_round() {
        assert_eq!(nice_ceiling(10), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(230), 500);
        assert_eq!(nice_ceiling(501), 1000);
    }
}
