//! Counting what one client address did within a window of time, for the limits on password
//! guessing and on the public grave finder. In memory, per process: a limit on what one
//! server answers, not an account of the world.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses held before those whose window has passed are forgotten.
const FORGET_FROM: usize = 10_000;

pub struct Throttle {
    limit: usize,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Throttle {
    /// At most `limit` events per address within `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        Throttle {
            limit,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// How many events `addr` had within the window (none for an unknown address).
    pub fn count(&self, addr: Option<IpAddr>) -> usize {
        let Some(addr) = addr else { return 0 };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = seen.get_mut(&addr) else {
            return 0;
        };
        while times.front().is_some_and(|t| t.elapsed() > self.window) {
            times.pop_front();
        }
        let n = times.len();
        if n == 0 {
            seen.remove(&addr);
        }
        n
    }

    /// Whether `addr` has reached the limit.
    pub fn exhausted(&self, addr: Option<IpAddr>) -> bool {
        self.count(addr) >= self.limit
    }

    /// Records an event of `addr`.
    pub fn record(&self, addr: Option<IpAddr>) {
        let Some(addr) = addr else { return };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        // Addresses that never come back are forgotten once their window has passed: many
        // addresses (an IPv6 block) cannot make the map grow without bound.
        if seen.len() >= FORGET_FROM {
            let window = self.window;
            seen.retain(|_, times| times.back().is_some_and(|t| t.elapsed() <= window));
        }
        let times = seen.entry(addr).or_default();
        times.push_back(Instant::now());
        // Kept bounded: only whether the limit is reached matters.
        while times.len() > self.limit + 1 {
            times.pop_front();
        }
    }

    /// Records an event of `addr` and says whether it was within the limit.
    pub fn allow(&self, addr: Option<IpAddr>) -> bool {
        if self.exhausted(addr) {
            return false;
        }
        self.record(addr);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_at_its_limit_and_others_are_not() {
        let t = Throttle::new(3, Duration::from_secs(60));
        let a = Some("10.0.0.1".parse().unwrap());
        let b = Some("10.0.0.2".parse().unwrap());
        assert!((0..3).all(|_| t.allow(a)));
        assert!(!t.allow(a));
        assert!(t.allow(b));
        // Without an address (no socket: the router called directly) nothing is counted.
        assert!((0..10).all(|_| t.allow(None)));
        let short = Throttle::new(1, Duration::from_millis(1));
        assert!(short.allow(a));
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.allow(a), "the window has passed");
        // Many addresses seen once and gone: the map forgets them.
        for i in 0..(FORGET_FROM as u32 + 10) {
            short.record(Some(std::net::IpAddr::from(i.to_be_bytes())));
        }
        std::thread::sleep(Duration::from_millis(5));
        short.record(b);
        assert!(short.seen.lock().unwrap().len() < FORGET_FROM);
    }
}
