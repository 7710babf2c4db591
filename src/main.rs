//! The `diming` command line: parses arguments and calls the library. The commands live in
//! `cli/`, one file per group; they print what the library returns.

mod cli;

use clap::Parser;

#[tokio::main]
async fn main() {
    // SAFETY: called first, before any thread or output exists; it only restores the
    // default action, so that writing to a closed pipe ends the program like other tools.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Verbosity from RUST_LOG; DIMING_LOG_FORMAT=json writes one JSON object per line (for a
    // log collector), anything else the readable form.
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr);
    if std::env::var("DIMING_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
    if let Err(e) = cli::run(cli::Cli::parse()).await {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}
