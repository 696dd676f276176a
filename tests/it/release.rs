//! How kbsite reaches its users: the Dockerfile, the release workflow, the GitHub Action,
//! install.sh, the crate package, and the install options and deploy recipes of the manual
//! (docs/content/getting-started/). None of them runs in
//! this test suite's CI (they need Docker, GitHub or a release), so these tests hold them to
//! each other and to Cargo.toml: a renamed binary, a new release target or a broken recipe
//! fails here, not at the next release. install.sh itself runs, on a release made up in a
//! temp folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Value {
    serde_yaml::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

fn cargo_toml() -> toml_edit::Document<String> {
    toml_edit::Document::parse(read("Cargo.toml")).expect("Cargo.toml parses")
}

/// The name of the binary, from Cargo.toml's one `[[bin]]`.
fn bin_name() -> String {
    let doc = cargo_toml();
    let bins = doc["bin"]
        .as_array_of_tables()
        .expect("[[bin]] in Cargo.toml");
    assert_eq!(bins.len(), 1, "one binary");
    bins.get(0).unwrap()["name"].as_str().unwrap().to_string()
}

/// Every value under `key` anywhere in `value`.
fn all_values<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                if k.as_str() == Some(key) {
                    out.push(v);
                }
                all_values(v, key, out);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| all_values(v, key, out)),
        _ => {}
    }
}

/// The `uses:` of every step.
fn uses(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    all_values(value, "uses", &mut found);
    found
        .into_iter()
        .map(|v| v.as_str().expect("uses: is a string").to_string())
        .collect()
}

/// A `uses:` names a released major version (`@v5`) or a commit, never a branch.
fn pinned(action: &str) -> bool {
    if action.starts_with("./") {
        return true;
    }
    let Some((_, reference)) = action.split_once('@') else {
        return false;
    };
    let version = reference.strip_prefix('v').unwrap_or("");
    (!version.is_empty() && version.split('.').all(|n| n.parse::<u32>().is_ok()))
        || (reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()))
}

fn release_workflow() -> Value {
    yaml(".github/workflows/release.yml")
}

/// The Rust targets the release workflow builds.
fn release_targets() -> BTreeSet<String> {
    let workflow = release_workflow();
    workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a build matrix")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target").to_string())
        .collect()
}

/// Words of `text` that are release target triples, also inside an archive's name
/// (`kbsite-v0.1.0-x86_64-unknown-linux-musl.tar.gz`); shell variables (`$arch-apple-darwin`)
/// are not.
fn triples_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "_-.$".contains(c)))
        .filter(|word| !word.starts_with('$'))
        .map(|word| {
            let word = word.trim_end_matches(".tar.gz").trim_end_matches(".zip");
            let word = word.trim_end_matches('.');
            match word.strip_prefix("kbsite-") {
                Some(rest) => rest
                    .split_once('-')
                    .map_or(rest, |(_version, target)| target),
                None => word,
            }
        })
        .filter(|word| {
            ["-unknown-linux-", "-apple-darwin", "-pc-windows-"]
                .iter()
                .any(|os| word.contains(os))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn release_workflow_runs_on_version_tags_with_pinned_actions() {
    let workflow = release_workflow();
    let tags = workflow["on"]["push"]["tags"]
        .as_sequence()
        .expect("on.push.tags");
    assert_eq!(tags, &vec![Value::from("v*")]);
    let actions = uses(&workflow);
    assert!(actions.len() > 5, "{actions:?}");
    for action in actions {
        assert!(pinned(&action), "{action} is not pinned to a version");
    }
    let targets = release_targets();
    for wanted in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(wanted), "{wanted} missing: {targets:?}");
    }
}

#[test]
fn release_workflow_builds_the_cargo_binary() {
    let text = read(".github/workflows/release.yml");
    let bin = bin_name();
    assert!(
        text.contains(&format!("cargo build --release --locked --bin {bin} ")),
        "the release builds --bin {bin} with --locked"
    );
    assert!(text.contains(&format!("target/$TARGET/release/{bin}\"")));
}

#[test]
fn action_is_a_composite_that_runs_install_sh() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in ["version", "repository"] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "input {input}"
        );
    }
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    for step in steps {
        if step.get("run").is_some() {
            assert!(step["shell"].is_string(), "a run step names its shell");
        }
    }
    for action in uses(&action) {
        assert!(pinned(&action), "{action} is not pinned to a version");
    }
    let runs: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(runs.contains("$action_path/install.sh"));
    assert!(repo().join("install.sh").is_file());
}

#[test]
fn install_sh_knows_exactly_the_targets_the_release_builds() {
    assert_eq!(triples_in(&read("install.sh")), release_targets());
}

/// The Dockerfile's instructions: continuation lines joined, comments dropped.
fn dockerfile() -> Vec<(String, String)> {
    let text = read("Dockerfile");
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(start) => current.push_str(start),
            None => {
                current.push_str(trimmed);
                let (keyword, rest) = current.split_once(' ').unwrap_or((&current, ""));
                instructions.push((keyword.to_ascii_uppercase(), rest.trim().to_string()));
                current.clear();
            }
        }
    }
    instructions
}

#[test]
fn dockerfile_builds_and_runs_the_cargo_binary() {
    let bin = bin_name();
    let instructions = dockerfile();
    let runs: Vec<&str> = instructions
        .iter()
        .filter(|(k, _)| k == "RUN")
        .map(|(_, v)| v.as_str())
        .collect();
    let build = runs
        .iter()
        .find(|r| r.contains("cargo build"))
        .expect("a RUN with cargo build");
    for flag in ["--release", "--locked", &format!("--bin {bin} ")] {
        assert!(build.contains(flag), "cargo build without {flag}: {build}");
    }
    assert!(build.contains("-unknown-linux-musl"), "a static musl build");
    assert!(
        build.contains(&format!(
            "cp \"target/$triple/release/{bin}\" /usr/local/bin/{bin}"
        )),
        "copies the binary cargo wrote: {build}"
    );
    let entrypoint = instructions
        .iter()
        .find(|(k, _)| k == "ENTRYPOINT")
        .expect("ENTRYPOINT");
    assert_eq!(entrypoint.1, format!("[\"{bin}\"]"));
    assert!(
        instructions
            .iter()
            .any(|(k, v)| k == "WORKDIR" && v == "/site")
    );
    let user = instructions
        .iter()
        .find(|(k, _)| k == "USER")
        .expect("a USER");
    assert!(!user.1.starts_with('0') && !user.1.starts_with("root"));
    // Both images (built from source, and from the released binaries) put it where PATH looks.
    let copies: Vec<&str> = instructions
        .iter()
        .filter(|(k, v)| k == "COPY" && v.ends_with(&format!(" /usr/local/bin/{bin}")))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(copies.len(), 2, "{copies:?}");
    assert!(copies.iter().any(|c| c.contains("--from=build")));
    assert!(
        copies
            .iter()
            .any(|c| c.contains(&format!("dist/linux-${{TARGETARCH}}/{bin}")))
    );
}

/// `1.95.0` -> (1, 95).
fn minor(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().expect(version));
    (parts.next().unwrap(), parts.next().expect(version))
}

#[test]
fn dockerfile_and_release_use_one_toolchain_new_enough_for_cargo_toml() {
    let docker = dockerfile()
        .into_iter()
        .find_map(|(k, v)| {
            (k == "ARG")
                .then(|| v.strip_prefix("RUST_VERSION=").map(str::to_string))
                .flatten()
        })
        .expect("ARG RUST_VERSION=");
    let workflow = release_workflow();
    let release = workflow["env"]["RUST_VERSION"]
        .as_str()
        .expect("env.RUST_VERSION");
    assert_eq!(minor(&docker), minor(release));
    let doc = cargo_toml();
    let msrv = doc["package"]["rust-version"].as_str().unwrap();
    assert!(minor(release) >= minor(msrv), "{release} < {msrv}");
}

/// Whether a .dockerignore pattern (`target`, `/x/*`, `**/node_modules`) leaves out `path`.
fn ignored(pattern: &str, path: &str) -> bool {
    fn glob(pattern: &str, name: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == name,
            Some((start, rest)) => {
                name.starts_with(start)
                    && (start.len()..=name.len()).any(|i| glob(rest, &name[i..]))
            }
        }
    }
    fn matches(pattern: &[&str], path: &[&str]) -> bool {
        match (pattern.first(), path.first()) {
            (None, _) => true, // a folder leaves out what it holds
            (Some(&"**"), _) => (0..=path.len()).any(|i| matches(&pattern[1..], &path[i..])),
            (Some(p), Some(name)) => glob(p, name) && matches(&pattern[1..], &path[1..]),
            (Some(_), None) => false,
        }
    }
    let pattern: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    matches(&pattern, &path)
}

#[test]
fn dockerignore_keeps_what_the_image_build_reads() {
    let patterns: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert!(
        patterns.iter().all(|p| !p.starts_with('!')),
        "no exceptions"
    );
    // The matcher itself.
    assert!(ignored("target", "target/release/kbsite"));
    assert!(ignored(".public.kbsite-*", ".public.kbsite-previous/x"));
    assert!(ignored("**/node_modules", "a/b/node_modules/c"));
    assert!(!ignored("target", "src/target.rs"));
    for unwanted in [
        "target/release/kbsite",
        ".kbsite-cache/social/a.png",
        "public/index.html",
    ] {
        assert!(
            patterns.iter().any(|p| ignored(p, unwanted)),
            "{unwanted} goes into the build context"
        );
    }
    let doc = cargo_toml();
    let mut needed = vec![
        "Cargo.toml".to_string(),
        "Cargo.lock".to_string(),
        "build.rs".to_string(),
        "dist/linux-amd64/kbsite".to_string(),
        doc["lib"]["path"].as_str().unwrap().to_string(),
    ];
    for table in ["bin", "bench"] {
        for target in doc[table].as_array_of_tables().unwrap() {
            match target.get("path").and_then(|p| p.as_str()) {
                Some(path) => needed.push(path.to_string()),
                None => needed.push(format!("benches/{}.rs", target["name"].as_str().unwrap())),
            }
        }
    }
    for file in walkdir::WalkDir::new(repo().join("themes/default")) {
        let file = file.unwrap();
        if file.file_type().is_file() {
            let rel = file.path().strip_prefix(repo()).unwrap();
            needed.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    for path in &needed {
        if let Some(p) = patterns.iter().find(|p| ignored(p, path)) {
            panic!(".dockerignore's `{p}` leaves out {path}, which the image build reads");
        }
    }
}

#[test]
fn crate_package_holds_the_embedded_theme_and_no_tests() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo())
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo package --list: {stderr}");
    let listed: BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let doc = cargo_toml();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        doc["lib"]["path"].as_str().unwrap(),
    ] {
        assert!(listed.contains(needed), "{needed} not packaged");
    }
    for bin in doc["bin"].as_array_of_tables().unwrap() {
        let path = bin["path"].as_str().unwrap();
        assert!(listed.contains(path), "{path} not packaged");
    }
    // build.rs embeds every file of the default theme but those starting with a dot.
    let mut theme = 0;
    for file in walkdir::WalkDir::new(repo().join("themes/default")) {
        let file = file.unwrap();
        let name = file.file_name().to_string_lossy();
        if file.file_type().is_file() && !name.starts_with('.') {
            let rel = file.path().strip_prefix(repo()).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            assert!(listed.contains(&rel), "{rel} is embedded but not packaged");
            theme += 1;
        }
    }
    assert!(theme > 10, "the theme has {theme} files");
    let strays: Vec<&String> = listed
        .iter()
        .filter(|p| {
            ["tests/", "benches/", "content/", "fuzz/", "public/"]
                .iter()
                .any(|dir| p.starts_with(dir))
        })
        .collect();
    assert!(strays.is_empty(), "packaged but not needed: {strays:?}");
}

/// The manual's pages on installing kbsite and on publishing a site from CI.
const INSTALL_PAGES: [&str; 2] = [
    "docs/content/getting-started/install.md",
    "docs/content/getting-started/publishing.md",
];

/// The text of the manual's install and publishing pages, one after the other.
fn install_pages() -> String {
    INSTALL_PAGES.iter().map(|page| read(page)).collect()
}

/// The fenced code blocks of `text` in `language`.
fn code_blocks(text: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    text.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn manual_recipes_parse_and_keep_the_build_cache() {
    let text = install_pages();
    let yamls = code_blocks(&text, "yaml");
    let tomls = code_blocks(&text, "toml");
    assert!(
        yamls.len() >= 3 && !tomls.is_empty(),
        "the recipes are there"
    );
    let action = yaml("action.yml");
    let inputs = action["inputs"].as_mapping().unwrap();
    for block in &yamls {
        let value: Value = serde_yaml::from_str(block)
            .unwrap_or_else(|e| panic!("a YAML recipe in the manual: {e}\n{block}"));
        // Steps using the action pass only inputs it has.
        let mut steps = Vec::new();
        all_values(&value, "steps", &mut steps);
        for step in steps.iter().filter_map(|s| s.as_sequence()).flatten() {
            let Some(used) = step["uses"].as_str() else {
                continue;
            };
            assert!(pinned(used), "{used} is not pinned to a version");
            if used.starts_with("OWNER/kbsite@")
                && let Some(with) = step["with"].as_mapping()
            {
                for key in with.keys() {
                    assert!(inputs.contains_key(key), "action.yml has no input {key:?}");
                }
            }
        }
    }
    for block in &tomls {
        toml_edit::Document::parse(block.as_str())
            .unwrap_or_else(|e| panic!("a TOML recipe in the manual: {e}\n{block}"));
    }
    for block in yamls.iter().chain(&tomls) {
        if block.contains("kbsite build") {
            assert!(
                block.contains(".kbsite-cache"),
                "a recipe that builds keeps .kbsite-cache/:\n{block}"
            );
        }
    }
}

#[test]
fn manual_names_the_archives_the_release_publishes() {
    assert_eq!(triples_in(&install_pages()), release_targets());
}

/// A made-up release `v9.9.9` for this machine in a temp folder, as the release workflow lays
/// it out, and the archive's file name.
fn fake_release(dir: &Path, binary: &str) -> String {
    let arch = std::env::consts::ARCH;
    let target = match std::env::consts::OS {
        "linux" => format!("{arch}-unknown-linux-musl"),
        "macos" => format!("{arch}-apple-darwin"),
        other => panic!("no release for {other}"),
    };
    let name = format!("kbsite-v9.9.9-{target}");
    let release = dir.join("v9.9.9");
    std::fs::create_dir_all(release.join(&name)).unwrap();
    std::fs::write(release.join(&name).join("kbsite"), binary).unwrap();
    let file = format!("{name}.tar.gz");
    let tar = Command::new("tar")
        .args(["-czf", &file, &name])
        .current_dir(&release)
        .status()
        .expect("tar runs");
    assert!(tar.success());
    let sum = Command::new("sh")
        .args([
            "-c",
            &format!("sha256sum {file} > SHA256SUMS || shasum -a 256 {file} > SHA256SUMS"),
        ])
        .current_dir(&release)
        .status()
        .expect("sh runs");
    assert!(sum.success());
    file
}

fn install_sh(dir: &Path, to: &Path) -> std::process::Output {
    let base = format!("file://{}", dir.display());
    Command::new("sh")
        .arg(repo().join("install.sh"))
        .args(["--base-url", &base, "--version", "v9.9.9", "--to"])
        .arg(to)
        .output()
        .expect("sh runs")
}

#[cfg(unix)]
#[test]
fn install_sh_installs_a_release_whose_checksum_matches() {
    let dir = tempfile::tempdir().unwrap();
    fake_release(dir.path(), "#!/bin/sh\necho kbsite 9.9.9\n");
    let to = dir.path().join("bin");
    let out = install_sh(dir.path(), &to);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "install.sh failed: {stderr}");
    let installed = to.join("kbsite");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        installed.display().to_string()
    );
    let run = Command::new(&installed)
        .output()
        .expect("installed and executable");
    assert_eq!(String::from_utf8_lossy(&run.stdout), "kbsite 9.9.9\n");
}

#[cfg(unix)]
#[test]
fn install_sh_installs_nothing_when_the_checksum_differs() {
    let dir = tempfile::tempdir().unwrap();
    let file = fake_release(dir.path(), "#!/bin/sh\necho kbsite 9.9.9\n");
    let sums = dir.path().join("v9.9.9/SHA256SUMS");
    let listed = std::fs::read_to_string(&sums).unwrap();
    let tampered = format!("{}{}", "0".repeat(64), &listed[64..]);
    std::fs::write(&sums, tampered).unwrap();
    let to = dir.path().join("bin");
    let out = install_sh(dir.path(), &to);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("checksum mismatch for {file}")),
        "{stderr}"
    );
    assert!(!to.join("kbsite").exists());
    // A release whose SHA256SUMS does not list the archive installs nothing either.
    std::fs::write(&sums, "").unwrap();
    let out = install_sh(dir.path(), &to);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not list"));
    assert!(!to.join("kbsite").exists());
}
