//! Ordering for the report's short lists (tens of items) by insertion: the standard library's sorts
//! (and `collect` into a map, which sorts) cost about 2 KB of wasm per element type.

/// Sort `items` by `key`, keeping the order of equal keys.
pub fn sort_by_key<T, K: PartialOrd>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_ties_in_order() {
        let mut items = [(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd')];
        sort_by_key(&mut items, |i| i.0);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (3, 'a'), (3, 'c')]);
    }
}
