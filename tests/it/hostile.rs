//! Hostile input costs time and memory in proportion to its size: measured on the real
//! binary, with the peak memory and CPU time the system accounts to it.

use crate::fixture::{Site, article};

/// What one run of kbsite cost.
struct Cost {
    code: i32,
    /// Peak resident memory, in MB.
    peak_mb: f64,
    /// User and system CPU time, in seconds.
    cpu_s: f64,
}

/// Where [`measure_in_a_small_process`] finds what to run: the site folder, then the
/// arguments, separated by the unit separator (U+001F).
const MEASURE_ENV: &str = "KBSITE_TEST_MEASURE";

/// Runs kbsite in `site` and reads its peak memory and CPU time from the kernel (`wait4`),
/// which counts that process alone, whatever else the test binary runs meanwhile.
///
/// Linux starts a process's peak memory at what the process that made it held (the memory of
/// the parent at `fork`, kept across `exec`), and this test binary holds hundreds of MB while
/// other tests run. So kbsite is started from a fresh, small copy of this test binary
/// ([`measure_in_a_small_process`]), which waits for it and prints what it cost.
fn measured(site: &Site, args: &[&str]) -> Cost {
    let mut job = site.path().to_string_lossy().into_owned();
    for arg in args {
        job.push('\u{1f}');
        job.push_str(arg);
    }
    let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "hostile::measure_in_a_small_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MEASURE_ENV, job)
        .output()
        .expect("start the test binary");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.split_once("MEASURED ").map(|(_, m)| m))
        .unwrap_or_else(|| {
            panic!(
                "no measurement in:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let numbers: Vec<f64> = line.split(' ').filter_map(|n| n.parse().ok()).collect();
    assert_eq!(numbers.len(), 3, "{line}");
    Cost {
        code: numbers[0] as i32,
        peak_mb: numbers[1],
        cpu_s: numbers[2],
    }
}

/// Not a test of its own: the small process [`measured`] starts kbsite from.
#[test]
#[ignore = "started by the hostile-input tests, with the job in KBSITE_TEST_MEASURE"]
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reads what it cost"
)]
fn measure_in_a_small_process() {
    let Ok(job) = std::env::var(MEASURE_ENV) else {
        return;
    };
    let mut parts = job.split('\u{1f}');
    let dir = parts.next().unwrap_or(".");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .args(parts)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start kbsite");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `usage` are valid for writes; `pid` is our child, not yet waited.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    println!(
        "MEASURED {} {:.1} {:.3}",
        libc::WEXITSTATUS(status),
        usage.ru_maxrss as f64 / 1024.0,
        seconds(usage.ru_utime) + seconds(usage.ru_stime)
    );
}

/// What a tiny site costs, to compare against.
fn baseline() -> Cost {
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", "Tekst."));
    measured(&site, &["build", "-q"])
}

/// Under 100 MB, and under 100 MB more than a tiny site takes.
#[track_caller]
fn assert_small(cost: &Cost, base: &Cost) {
    assert!(cost.peak_mb < 100.0, "{:.0} MB", cost.peak_mb);
    assert!(
        cost.peak_mb < base.peak_mb + 100.0,
        "{:.0} MB against {:.0} MB for a tiny site",
        cost.peak_mb,
        base.peak_mb
    );
}

#[test]
fn twenty_thousand_broken_links_on_one_line_stay_small() {
    let line: String = (0..20_000).map(|i| format!("[x](/brak-{i}/) ")).collect();
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", &line));
    let cost = measured(&site, &["build", "-q", "--broken-links", "warn"]);
    let base = baseline();
    eprintln!(
        "20,000 broken links on one {} KB line: {:.0} MB, {:.2} s CPU (tiny site: {:.0} MB)",
        line.len() / 1024,
        cost.peak_mb,
        cost.cpu_s,
        base.peak_mb
    );
    assert_eq!(cost.code, 0);
    // Copying the line into each diagnostic took 2.5 GB for half as many links.
    assert_small(&cost, &base);
}

#[test]
fn twenty_thousand_component_errors_on_one_line_stay_small() {
    let line: String = (0..20_000)
        .map(|i| format!("{{{{ brak{i}() }}}} "))
        .collect();
    let site = Site::new().file("content/a.md", &article("A", "2024-01-01", "", &line));
    let cost = measured(&site, &["build", "-q"]);
    let base = baseline();
    eprintln!(
        "20,000 unknown components on one {} KB line: {:.0} MB, {:.2} s CPU",
        line.len() / 1024,
        cost.peak_mb,
        cost.cpu_s
    );
    assert_eq!(cost.code, 1, "unknown components are errors");
    assert_small(&cost, &base);
    // Quadratic work on this line took over 20 s; linear work takes a fraction of one.
    assert!(cost.cpu_s < 10.0, "{:.1} s of CPU", cost.cpu_s);
}

#[test]
fn two_hundred_thousand_nested_brackets_are_refused_in_linear_time() {
    let deep = format!(
        "---\ntitle: \"A\"\nx: {}{}\n---\nTekst.\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let site = Site::new().file("content/a.md", &deep);
    let cost = measured(&site, &["build", "-q"]);
    let base = baseline();
    eprintln!(
        "200,000 nested brackets: {:.0} MB, {:.2} s CPU (tiny site: {:.2} s)",
        cost.peak_mb, cost.cpu_s, base.cpu_s
    );
    assert_eq!(cost.code, 1, "nested too deeply is an error");
    // Quadratic parsing took 73 s; the depth check reads the 400 KB once.
    assert!(
        cost.cpu_s < base.cpu_s + 1.0,
        "{:.2} s of CPU against {:.2} s for a tiny site",
        cost.cpu_s,
        base.cpu_s
    );
    assert!(
        cost.peak_mb < base.peak_mb + 100.0,
        "{:.0} MB",
        cost.peak_mb
    );
}
