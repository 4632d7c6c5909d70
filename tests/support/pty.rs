//! The real binary in a pseudo-terminal, read back through a vt100 parser: the one harness
//! of the end-to-end tests (`tests/pty.rs`) and the keystroke benchmarks (`benches/tui.rs`).
//!
//! Everything happens on the caller's thread: each wait polls the pty for output, feeds it to
//! the parser and checks the screen, so a wait returns as soon as the bytes that satisfy it
//! are read (the benchmarks take that instant as the time a frame was seen). Nothing sleeps a
//! fixed time; every wait has a deadline and panics with the screen when it passes.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, NativePtySystem, PtySize, PtySystem};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// How long a wait may take before it fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub struct Pty {
    parser: vt100::Parser,
    reader: Box<dyn Read + Send>,
    writer: Box<dyn Write + Send>,
    fd: i32,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    exited: bool,
}

impl Pty {
    /// Starts `bin` with `args` in a `cols`×`rows` pty, with a plain English environment
    /// (`LANG=C.UTF-8`, no configuration file) that `envs` may override.
    pub fn spawn<S: AsRef<OsStr>>(
        bin: &str,
        args: &[S],
        envs: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = NativePtySystem::default()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("NO_COLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("koppel starts");
        drop(pair.slave);
        let fd = pair.master.as_raw_fd().expect("a pty file descriptor");
        Pty {
            parser: vt100::Parser::new(rows, cols, 0),
            reader: pair.master.try_clone_reader().expect("a pty reader"),
            writer: pair.master.take_writer().expect("a pty writer"),
            fd,
            child,
            master: pair.master,
            exited: false,
        }
    }

    /// The parsed screen.
    pub fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// The screen's text.
    pub fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    /// The screen's rows.
    pub fn rows(&self) -> Vec<String> {
        let (_, cols) = self.parser.screen().size();
        self.parser.screen().rows(0, cols).collect()
    }

    /// Reads output until the rows satisfy `done`; returns when that was seen.
    pub fn wait_rows(&mut self, what: &str, done: impl Fn(&[String]) -> bool) -> Instant {
        self.wait_until(what, |p| done(&p.rows()))
    }

    /// Reads output until the screen's text satisfies `done`; returns that text.
    pub fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, |p| done(&p.contents()));
        self.contents()
    }

    /// Reads output until the screen shows `needle`; returns the screen's text.
    pub fn wait_text(&mut self, needle: &str) -> String {
        self.wait_for(needle, |s| s.contains(needle))
    }

    fn wait_until(&mut self, what: &str, done: impl Fn(&Pty) -> bool) -> Instant {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if done(self) {
                return Instant::now();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!("timed out waiting for {what}; screen:\n{}", self.contents());
            }
            if !self.read_some(left) {
                if done(self) {
                    return Instant::now();
                }
                panic!(
                    "koppel ended while waiting for {what}; screen:\n{}",
                    self.contents()
                );
            }
        }
    }

    /// Waits up to `limit` for output and feeds what came; false once the program's side
    /// of the pty is closed.
    fn read_some(&mut self, limit: Duration) -> bool {
        if self.exited {
            return false;
        }
        let mut pfd = libc::pollfd {
            fd: self.fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX).max(1);
        // SAFETY: one valid pollfd, owned by this frame, for the duration of the call.
        let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
        if ready <= 0 {
            return true;
        }
        let mut buf = [0u8; 16384];
        match self.reader.read(&mut buf) {
            Ok(0) | Err(_) => {
                self.exited = true;
                false
            }
            Ok(n) => {
                // vt100 can panic on output drawn for the size before a resize that arrives
                // after it. The app redraws everything after a resize, so a fresh parser of
                // the new size catches up with the next frame.
                let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.parser.process(&buf[..n])
                }));
                if parsed.is_err() {
                    let (rows, cols) = self.parser.screen().size();
                    self.parser = vt100::Parser::new(rows, cols, 0);
                }
                true
            }
        }
    }

    /// Types `bytes` (keys as a terminal sends them).
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.writer.write_all(bytes.as_ref()).expect("key written");
        self.writer.flush().expect("key flushed");
    }

    /// Resizes the terminal (and the parser with it).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("the pty resizes");
        self.parser.screen_mut().set_size(rows, cols);
    }

    /// Reads the output to its end and waits for the program; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + DEADLINE;
        while self.read_some(deadline.saturating_duration_since(Instant::now())) {
            assert!(Instant::now() < deadline, "koppel did not exit");
        }
        self.child.wait().expect("koppel's exit status").exit_code()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
