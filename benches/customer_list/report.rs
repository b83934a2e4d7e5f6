//! What a run measured, and how it is printed: the table rows, the summaries
//! by client count, the targets, the scoped scenarios against their unscoped
//! equivalents, and the process's memory.

use std::time::Duration;

use hdrhistogram::Histogram;

use crate::scenarios::Scenario;

pub struct Outcome {
    pub latency_us: Histogram<u64>,
    pub failures: usize,
    pub elapsed: Duration,
    /// CPU time of the whole process (client and server) during the run.
    pub cpu: Duration,
}

impl Outcome {
    pub fn throughput(&self) -> f64 {
        self.latency_us.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU milliseconds per request, client and server together: steadier than
    /// the throughput on a machine shared with other work.
    fn cpu_ms(&self) -> f64 {
        ms(self.cpu) / self.latency_us.len().max(1) as f64
    }

    pub fn ms(&self, quantile: f64) -> f64 {
        self.latency_us.value_at_quantile(quantile) as f64 / 1000.0
    }

    /// One line of the results table.
    pub fn row(&self, name: &str, plain_rate: Option<f64>) -> String {
        let share = plain_rate.map_or("-".to_owned(), |p| {
            format!("{:.2}%", 100.0 * self.throughput() / p)
        });
        format!(
            "{name:<21} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.0} {share:>10} {:>8.3} {:>8}",
            self.latency_us.len(),
            self.ms(0.5),
            self.ms(0.99),
            self.ms(1.0),
            self.throughput(),
            self.cpu_ms(),
            self.failures
        )
    }
}

pub const HEADER: &str = "scenario              requests    p50 ms    p99 ms    max ms     req/s   of plain \
     cpu ms/req failures";

pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds")
}

/// User and system CPU time of the whole process so far (/proc/self/stat, in
/// clock ticks of 10 ms on Linux); zero elsewhere.
pub fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Every scenario's outcome at each client count.
pub struct Results(pub Vec<(Scenario, usize, Outcome)>);

impl Results {
    fn at(&self, scenario: Scenario, concurrency: usize) -> Option<&Outcome> {
        self.0
            .iter()
            .find(|(s, c, _)| *s == scenario && *c == concurrency)
            .map(|(_, _, o)| o)
    }

    pub fn failures(&self) -> usize {
        self.0.iter().map(|(_, _, o)| o.failures).sum()
    }

    /// The table again for each client count, with each scenario's share of
    /// plain text's throughput.
    pub fn summaries(&self, backend: &str, customers: usize, concurrencies: &[usize]) {
        for &concurrency in concurrencies {
            let plain_rate = self
                .at(Scenario::PlainText, concurrency)
                .map(Outcome::throughput);
            println!(
                "\nSummary ({backend}, {customers} customers per partner, {concurrency} clients)"
            );
            println!("{HEADER}");
            for (scenario, _, outcome) in self.0.iter().filter(|(_, c, _)| *c == concurrency) {
                println!("{}", outcome.row(&scenario.at(concurrency), plain_rate));
            }
        }
        println!();
    }

    /// Whether the throughput at the most clients is at least that at the fewest.
    pub fn collapse(&self, concurrencies: &[usize]) {
        let (Some(&fewest), Some(&most)) = (concurrencies.first(), concurrencies.last()) else {
            return;
        };
        if most <= fewest {
            return;
        }
        println!("throughput at {most} clients against {fewest} (no collapse: at least 100 %):");
        for (scenario, concurrency, outcome) in &self.0 {
            if *concurrency == most
                && let Some(fewer) = self.at(*scenario, fewest)
            {
                let ratio = 100.0 * outcome.throughput() / fewer.throughput();
                let verdict = if ratio >= 100.0 { "met" } else { "MISSED" };
                println!("  {:<17} {ratio:>7.1} %, {verdict}", scenario.name());
            }
        }
        println!();
    }

    /// The p99 and throughput targets at `concurrency` clients.
    pub fn targets(&self, concurrency: usize) {
        println!("targets at {concurrency} clients:");
        for scenario in Scenario::ALL {
            if let (Some(o), Some((limit, line))) =
                (self.at(scenario, concurrency), scenario.p99_target())
            {
                let verdict = if o.ms(0.99) < limit { "met" } else { "MISSED" };
                println!("target: {line}: {:.2} ms, {verdict}", o.ms(0.99));
            }
        }
        let plain_rate = self
            .at(Scenario::PlainText, concurrency)
            .map(Outcome::throughput);
        for scenario in Scenario::LISTS {
            if let (Some(o), Some(plain_rate)) = (self.at(scenario, concurrency), plain_rate) {
                let ratio = 100.0 * o.throughput() / plain_rate;
                let verdict = if ratio >= 25.0 { "met" } else { "MISSED" };
                let name = format!("{} throughput", scenario.name());
                println!("target: {name:<27} >= 25 % of plain text: {ratio:.2} %, {verdict}");
            }
        }
    }

    /// Each scoped scenario (distributor, limited agent) as ratios to its
    /// unscoped equivalent of the same run: the figures to compare across
    /// noisy machines.
    pub fn scoped_ratios(&self, concurrency: usize) {
        let mut header = false;
        for scenario in Scenario::ALL {
            let Some(unscoped) = scenario.unscoped() else {
                continue;
            };
            let (Some(o), Some(u)) = (
                self.at(scenario, concurrency),
                self.at(unscoped, concurrency),
            ) else {
                continue;
            };
            if !header {
                println!(
                    "\nscoped against unscoped at {concurrency} clients (ratio of p50, p99, req/s):"
                );
                header = true;
            }
            println!(
                "  {:<17} / {:<17} p50 {:>5.2}  p99 {:>5.2}  req/s {:>5.2}",
                scenario.name(),
                unscoped.name(),
                o.ms(0.5) / u.ms(0.5),
                o.ms(0.99) / u.ms(0.99),
                o.throughput() / u.throughput()
            );
        }
    }
}

/// A line of /proc/self/smaps_rollup (the whole address space summed), such as Pss.
fn mapped_memory(key: &str) -> String {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    rollup
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map_or_else(|| "unknown".to_owned(), |value| value.trim().to_owned())
}

/// A line of /proc/self/status, such as VmRSS.
fn memory(key: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'));
    line.map_or("unknown".to_owned(), |value| value.trim().to_owned())
}

/// The process's memory, three ways.
pub fn print_memory() {
    println!(
        "\nmemory of the process (client and server together): VmRSS {} (anonymous {}, \
         files {}), VmHWM {}",
        memory("VmRSS"),
        memory("RssAnon"),
        memory("RssFile"),
        memory("VmHWM")
    );
    println!(
        "  of which its own (Private_Clean + Private_Dirty): {} + {}; its proportional share \
         of pages mapped by others too (Pss): {}",
        mapped_memory("Private_Clean"),
        mapped_memory("Private_Dirty"),
        mapped_memory("Pss"),
    );
}
