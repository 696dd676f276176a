//! The value of a data file: what YAML, JSON, TOML and CSV have in common, with every mapping
//! in the order its keys are written, so a template that walks a price list or a row's columns
//! shows them as the author wrote them (`serde_json::Value` would sort them).

use serde::de::{self, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// One value of a data file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DataValue {
    /// `null`, `~`, an empty YAML value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JSON holds it (integers stay integers).
    Number(serde_json::Number),
    /// Text; a TOML date is the text it is written as.
    Text(String),
    /// A list.
    List(Vec<DataValue>),
    /// A mapping, in the order its keys are written; each key once.
    Map(Vec<(String, DataValue)>),
}

impl serde::Serialize for DataValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DataValue::Null => serializer.serialize_unit(),
            DataValue::Bool(b) => serializer.serialize_bool(*b),
            DataValue::Number(n) => n.serialize(serializer),
            DataValue::Text(t) => serializer.serialize_str(t),
            DataValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            DataValue::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for DataValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DataValue, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// The key under which the TOML reader hands over a date or time as a one-entry mapping.
const TOML_DATETIME: &str = "$__toml_private_datetime";

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = DataValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value")
    }

    fn visit_unit<E>(self) -> Result<DataValue, E> {
        Ok(DataValue::Null)
    }

    fn visit_none<E>(self) -> Result<DataValue, E> {
        Ok(DataValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<DataValue, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, b: bool) -> Result<DataValue, E> {
        Ok(DataValue::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<DataValue, E> {
        Ok(DataValue::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<DataValue, E> {
        Ok(DataValue::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<DataValue, E> {
        // `.inf` and `.nan` have no JSON number; templates see nothing there.
        Ok(serde_json::Number::from_f64(n).map_or(DataValue::Null, DataValue::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<DataValue, E> {
        Ok(DataValue::Text(crate::yaml::without_controls(
            s.to_string(),
        )))
    }

    fn visit_string<E>(self, s: String) -> Result<DataValue, E> {
        Ok(DataValue::Text(crate::yaml::without_controls(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DataValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(DataValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataValue, A::Error> {
        let mut entries: Vec<(String, DataValue)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            let value: DataValue = map.next_value()?;
            if key.0 == TOML_DATETIME {
                return Ok(value);
            }
            if entries.iter().any(|(k, _)| *k == key.0) {
                return Err(de::Error::custom(format!("`{}` is written twice", key.0)));
            }
            entries.push((key.0, value));
        }
        Ok(DataValue::Map(entries))
    }

    /// A YAML value with a tag (`!pakiet {…}`): the value, the tag left out.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<DataValue, A::Error> {
        let (_tag, variant) = data.variant::<Key>()?;
        variant.newtype_variant()
    }
}

/// A mapping key: text, or a number or boolean written as one (`2024: …` in YAML).
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, s: &str) -> Result<Key, E> {
                Ok(Key(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Key, E> {
                Ok(Key(s))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Key, E> {
                Ok(Key(b.to_string()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Key, E> {
                Ok(Key(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Key, E> {
                Ok(Key(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Key, E> {
                Ok(Key(n.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key("null".into()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_keep_their_order_and_refuse_a_key_written_twice() {
        let v: DataValue =
            serde_json::from_str(r#"{"z": 1, "a": [true, null, "x"], "m": 1.5}"#).unwrap();
        let DataValue::Map(entries) = &v else {
            panic!("{v:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"z":1,"a":[true,null,"x"],"m":1.5}"#
        );
        let twice = serde_json::from_str::<DataValue>("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert!(
            twice.to_string().contains("`a` is written twice"),
            "{twice}"
        );
        assert_eq!(twice.line(), 2);
    }
}
