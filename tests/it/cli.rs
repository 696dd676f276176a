//! `kbsite init`, `kbsite new`, `--root`, and the build summary.

use crate::fixture::Site;

#[test]
fn init_creates_a_site_that_builds_without_a_theme_folder() {
    let dir = Site::empty();
    let run = dir.run(&["init", "nowa"]);
    run.assert_ok();
    let site = dir.path().join("nowa");
    assert!(site.join("kbsite.yaml").is_file());
    assert!(
        !site.join("themes").exists(),
        "the theme comes from the binary"
    );
    let run = dir.run(&["build", "--root", "nowa"]);
    run.assert_ok();
    assert!(
        site.join("public/poradniki/pierwszy-artykul/index.html")
            .is_file()
    );
    assert!(site.join("public/style.css").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = Site::empty().file("zajete/plik.txt", "x");
    let run = dir.run(&["init", "zajete"]);
    run.assert_code(2);
    assert!(run.stderr.contains("is not empty"));
    assert_eq!(
        std::fs::read_dir(dir.path().join("zajete"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn new_article_from_a_polish_title() {
    let site = Site::new();
    std::fs::create_dir_all(site.path().join("content/blog")).unwrap();
    let run = site.run(&["new", "Social media marketing w małej firmie"]);
    run.assert_ok();
    let text = std::fs::read_to_string(
        site.path()
            .join("content/social-media-marketing-w-malej-firmie.md"),
    )
    .unwrap();
    assert!(text.starts_with("---\ntitle: \"Social media marketing w małej firmie\"\ndate: "));
    assert!(text.contains("\ndraft: true\n"));
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert!(text.contains(&format!("date: {today}")));
    // Run from a subfolder: the site root is found above it.
    let sub = site.path().join("content/blog");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kbsite"))
        .args(["new", "blog/Jak zacząć?"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path().join("content/blog/jak-zaczac.md").is_file());
    let again = site.run(&["new", "blog/jak-zaczac.md"]);
    again.assert_code(2);
    assert!(again.stderr.contains("already exists"));
    // The new article is a draft: the build succeeds and skips it.
    site.build(&[]);
    assert!(!site.output("blog/jak-zaczac/index.html").exists());
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = Site::sample();
    let run = site.build(&[]);
    let line = run.stdout.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.starts_with("Built "), "{line}");
    assert!(
        line.contains(" pages, ")
            && line.contains(" sections, ")
            && line.contains(" changed) written to ")
            && line.ends_with(" ms"),
        "{line}"
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = Site::new();
    site.run(&["build", "--nope"]).assert_code(2);
}

#[test]
fn root_flag_works_from_anywhere() {
    let site = Site::sample();
    let elsewhere = Site::empty();
    let run = elsewhere.run(&["build", "--root", &site.path().display().to_string()]);
    run.assert_ok();
    assert!(site.output("index.html").exists());
}

#[test]
fn progress_bar_only_on_a_terminal_outside_ci() {
    let site = Site::new();
    for i in 0..2100 {
        site.write(
            &format!("content/a{i}.md"),
            &format!("---\ntitle: A{i}\n---\nx\n"),
        );
    }
    let plain = site.run(&["build"]);
    plain.assert_ok();
    assert!(
        !plain.stderr.contains("render ["),
        "no bar without a terminal: {}",
        plain.stderr
    );
    let command = format!(
        "{} build --root {}",
        env!("CARGO_BIN_EXE_kbsite"),
        site.path().display()
    );
    let tty = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("CI")
        .output()
        .expect("script(1) runs the build on a pseudo-terminal");
    let screen = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{screen}");
    assert!(screen.contains("render ["), "a bar on a terminal: {screen}");
    let ci = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("CI", "true")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&ci.stdout).contains("render ["),
        "no bar on CI"
    );
}
