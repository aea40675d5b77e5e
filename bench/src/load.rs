//! Processes under measurement (the passerelle server, PostGraphile, a sync run) and
//! HTTP load from `wrk` over loopback.

use std::{
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::process::{Child, Command};

/// A child process whose peak resident memory can be read while it runs.
pub struct Measured {
    pub child: Child,
    pub pid: u32,
}

impl Measured {
    pub fn spawn(command: &mut Command) -> Result<Measured> {
        let child = command
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting a measured process")?;
        let pid = child.id().context("the process ended at once")?;
        Ok(Measured { child, pid })
    }

    /// Peak resident set (`VmHWM`) so far, in MB.
    pub fn peak_rss_mb(&self) -> f64 {
        peak_rss_of(self.pid)
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

pub fn peak_rss_of(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Runs a process to its end, sampling its peak RSS; returns (seconds, peak MB).
pub async fn run_measured(command: &mut Command) -> Result<(f64, f64)> {
    let started = Instant::now();
    let mut process = Measured::spawn(command)?;
    let mut peak = 0.0_f64;
    loop {
        let rss = process.peak_rss_mb();
        if rss.is_finite() {
            peak = peak.max(rss);
        }
        if let Some(status) = process.child.try_wait()? {
            if !status.success() {
                bail!("the measured process failed: {status}");
            }
            return Ok((started.elapsed().as_secs_f64(), peak));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Polls `url` with a GraphQL POST until it answers 200 with data.
pub async fn wait_until_answering(
    client: &reqwest::Client,
    url: &str,
    body: &Value,
    headers: &[(String, String)],
) -> Result<Value> {
    // At 100× the server loads its read model (millions of rows) before it answers.
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let mut request = client.post(url).json(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if let Ok(response) = request.send().await
            && response.status().is_success()
        {
            let answer: Value = response.json().await?;
            if answer.get("errors").is_some() {
                bail!("{url} answered with errors: {answer}");
            }
            return Ok(answer);
        }
        if Instant::now() > deadline {
            bail!("{url} did not answer within 15 min");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What one `wrk` run measured.
#[derive(Clone, Debug, Default)]
pub struct Load {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Non-2xx answers and socket errors.
    pub failures: u64,
}

/// `wrk` with `connections` connections for `duration` against a GraphQL POST.
pub async fn wrk(
    url: &str,
    body: &Value,
    headers: &[(String, String)],
    connections: u32,
    duration: Duration,
    scratch: &Path,
) -> Result<Load> {
    let mut lua = lua_post(headers);
    lua.push_str(&format!("wrk.body = {}\n", lua_string(&body.to_string())));
    wrk_lua(url, &lua, connections, duration, scratch).await
}

/// `wrk` against a GraphQL POST of `query` whose variables each request draws at random
/// from `variables`: the cold form of a scenario, a page asked with other arguments each
/// time (each wrk thread draws its own sequence).
pub async fn wrk_drawn(
    url: &str,
    query: &str,
    variables: &[Value],
    headers: &[(String, String)],
    connections: u32,
    duration: Duration,
    scratch: &Path,
) -> Result<Load> {
    if variables.is_empty() {
        bail!("no variables to draw from");
    }
    let mut lua = lua_post(headers);
    let prefix = format!("{{\"query\":{},\"variables\":", Value::from(query));
    lua.push_str(&format!(
        "local prefix = {}\nlocal drawn = {{\n",
        lua_string(&prefix)
    ));
    for one in variables {
        lua.push_str(&lua_string(&one.to_string()));
        lua.push_str(",\n");
    }
    lua.push_str(
        "}\n\
         local threads = 0\n\
         function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n\
         function init(args) math.randomseed(os.time() + 7919 * (tid or 0)) end\n\
         function request()\n\
           return wrk.format(nil, nil, nil, prefix .. drawn[math.random(#drawn)] .. \"}\")\n\
         end\n",
    );
    wrk_lua(url, &lua, connections, duration, scratch).await
}

/// The start of a wrk script that POSTs JSON with `headers`.
pub fn lua_post(headers: &[(String, String)]) -> String {
    let mut lua = String::from("wrk.method = \"POST\"\n");
    lua.push_str("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    for (name, value) in headers {
        lua.push_str(&format!(
            "wrk.headers[{}] = {}\n",
            lua_string(name),
            lua_string(value)
        ));
    }
    lua
}

/// `wrk` running the Lua script `lua` (which may build each request).
pub async fn wrk_lua(
    url: &str,
    lua: &str,
    connections: u32,
    duration: Duration,
    scratch: &Path,
) -> Result<Load> {
    static SCRIPTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SCRIPTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let script = scratch.join(format!("wrk-{n}.lua"));
    std::fs::write(&script, lua).context("writing the wrk script")?;
    let output = Command::new("wrk")
        .arg(format!("-t{}", connections.min(2)))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--latency")
        .arg("-s")
        .arg(&script)
        .arg(url)
        .output()
        .await
        .context("running wrk (apt-get install wrk)")?;
    let _ = std::fs::remove_file(&script);
    if !output.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk(&String::from_utf8_lossy(&output.stdout))
}

pub fn lua_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        "m" => Some(number * 60_000.0),
        _ => None,
    }
}

pub fn parse_wrk(output: &str) -> Result<Load> {
    let mut load = Load {
        requests_per_second: f64::NAN,
        p50_ms: f64::NAN,
        p99_ms: f64::NAN,
        ..Load::default()
    };
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("50%") {
            load.p50_ms = duration_ms(rest).unwrap_or(f64::NAN);
        } else if let Some(rest) = line.strip_prefix("99%") {
            load.p99_ms = duration_ms(rest).unwrap_or(f64::NAN);
        } else if let Some(rest) = line.strip_prefix("Requests/sec:") {
            load.requests_per_second = rest.trim().parse().unwrap_or(f64::NAN);
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            load.failures += rest.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            load.failures += rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        } else if line.contains("requests in") {
            load.requests = line
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    if !load.requests_per_second.is_finite() {
        bail!("unreadable wrk output:\n{output}");
    }
    if load.requests == 0 {
        // No answer within wrk's 2 s timeout: reported as such, not as a crash.
        load.p50_ms = f64::NAN;
        load.p99_ms = f64::NAN;
    }
    Ok(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let output = "Running 10s test @ http://127.0.0.1:1/graphql
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.00ms  20.00ms   90.00%
  Latency Distribution
     50%  1.91ms
     75%    2.50ms
     90%    3.20ms
     99%  812.00us
  52000 requests in 10.00s, 100.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   5200.12
Transfer/sec:     10.00MB
";
        let load = parse_wrk(output).expect("parses");
        assert!((load.p50_ms - 1.91).abs() < 1e-9);
        assert!((load.p99_ms - 0.812).abs() < 1e-9);
        assert!((load.requests_per_second - 5200.12).abs() < 1e-9);
        assert_eq!(load.requests, 52000);
        assert_eq!(load.failures, 7);
    }
}
