//! Bytes kept deflated in memory (serve's pages, the book's chapters): HTML takes about a
//! quarter of its size deflated at the fastest level, and inflating a page per request costs
//! tens of microseconds.

use std::io::{Read, Write};
use std::sync::Arc;

/// Inflates a [`Packed`] as it is read (see [`Packed::reader`]).
pub type Reader = flate2::bufread::DeflateDecoder<std::io::Cursor<Arc<[u8]>>>;

/// Raw deflate of some bytes, and their length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Packed {
    data: Arc<[u8]>,
    len: usize,
}

impl Packed {
    pub fn new(bytes: &[u8]) -> Packed {
        let out = Vec::with_capacity(bytes.len() / 3);
        let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::fast());
        // Writing into memory cannot fail.
        enc.write_all(bytes).ok();
        Packed {
            data: enc.finish().unwrap_or_default().into(),
            len: bytes.len(),
        }
    }

    /// The length of the bytes once inflated.
    pub fn len(&self) -> usize {
        self.len
    }

    /// What the deflated bytes take.
    pub fn deflated_len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends the bytes to `out`.
    pub fn inflate_into(&self, out: &mut Vec<u8>) {
        // Deflated by this program: it inflates.
        flate2::read::DeflateDecoder::new(&self.data[..])
            .read_to_end(out)
            .ok();
    }

    /// The bytes, inflated as they are read: the reader shares the deflated bytes and holds
    /// only the inflater's state (about 40 KB) of its own.
    pub fn reader(&self) -> Reader {
        flate2::bufread::DeflateDecoder::new(std::io::Cursor::new(self.data.clone()))
    }

    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        self.inflate_into(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_as_they_went_in() {
        for bytes in [
            &b""[..],
            b"<p>x</p>",
            "é€ 😀".as_bytes(),
            &[0u8, 255, 7][..],
        ] {
            let packed = Packed::new(bytes);
            assert_eq!(packed.len(), bytes.len());
            assert_eq!(packed.to_vec(), bytes);
            let mut read = Vec::new();
            packed.reader().read_to_end(&mut read).unwrap();
            assert_eq!(read, bytes);
        }
    }
}
