//! A fast hash for the maps rapport fills and reads per page (heading ids, sources, URLs):
//! FxHash, as rustc uses. Its keys come from the handbook itself, so resistance to crafted
//! collisions, which std's SipHash buys at several times the cost, is not needed.

use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`]; made with `HashMap::default()`.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// FxHash: each word rotated in and multiplied by a large odd constant.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0; 8];
            w.copy_from_slice(word);
            self.add(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_apart() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash("why/cost/"), hash("why/cost/"));
        let keys = [
            "a",
            "b",
            "ab",
            "ba",
            "why/cost/",
            "why/costs/",
            "12345678",
            "123456789",
        ];
        let distinct: std::collections::HashSet<u64> = keys.iter().map(|k| hash(k)).collect();
        assert_eq!(distinct.len(), keys.len());
        let mut map: HashMap<String, usize> = HashMap::default();
        for (i, k) in keys.iter().enumerate() {
            map.insert(k.to_string(), i);
        }
        assert!(keys.iter().enumerate().all(|(i, k)| map[*k] == i));
    }
}
