package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed plan file as plain values with the position of every key and value, packed into longs so
 * a 100k-task plan costs a few arrays per task rather than an object per value.
 *
 * <p>Values are {@link Obj}, {@link Arr}, {@link String}, {@link Num}, {@link Boolean} or {@link
 * #NULL}. Numbers keep their source text so an id written {@code 3.10} stays {@code "3.10"}.
 */
final class Tree {

  private Tree() {}

  /** JSON {@code null} and YAML's empty value. */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** A number as written. */
  record Num(String text, boolean integral) {}

  /** An object's members in file order. */
  static final class Obj {
    final String[] keys;
    final Object[] values;
    final long[] keyPos;
    final long[] valuePos;

    Obj(String[] keys, Object[] values, long[] keyPos, long[] valuePos) {
      this.keys = keys;
      this.values = values;
      this.keyPos = keyPos;
      this.valuePos = valuePos;
    }

    int size() {
      return keys.length;
    }

    int indexOf(String key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** An array's elements. */
  static final class Arr {
    final Object[] values;
    final long[] pos;

    Arr(Object[] values, long[] pos) {
      this.values = values;
      this.pos = pos;
    }

    int size() {
      return values.length;
    }
  }

  /**
   * Just the positions of a container's children, kept by a {@link SourceMap} after reading: the
   * values themselves live on in the plan's records.
   */
  static final class Skeleton {
    final String[] keys; // null for a list
    final long[] pos;
    final Skeleton[] children; // null when every child is a scalar

    private Skeleton(String[] keys, long[] pos, Skeleton[] children) {
      this.keys = keys;
      this.pos = pos;
      this.children = children;
    }

    /** The index of the child {@code segment} names, or -1. */
    int child(String segment) {
      if (keys != null) {
        for (int i = 0; i < keys.length; i++) {
          if (keys[i].equals(segment)) {
            return i;
          }
        }
        return -1;
      }
      if (segment.isEmpty() || segment.length() > 9) {
        return -1;
      }
      for (int c = 0; c < segment.length(); c++) {
        if (segment.charAt(c) < '0' || segment.charAt(c) > '9') {
          return -1;
        }
      }
      int k = Integer.parseInt(segment);
      return k < pos.length ? k : -1;
    }

    Skeleton childSkeleton(int index) {
      return children == null ? null : children[index];
    }

    /** The skeleton of a parsed value; null for a scalar. */
    static Skeleton of(Object value) {
      if (value instanceof Obj o) {
        return new Skeleton(o.keys, o.valuePos, children(o.values));
      } else if (value instanceof Arr a) {
        return new Skeleton(null, a.pos, children(a.values));
      }
      return null;
    }

    private static Skeleton[] children(Object[] values) {
      Skeleton[] out = null;
      for (int i = 0; i < values.length; i++) {
        Skeleton s = of(values[i]);
        if (s != null) {
          if (out == null) {
            out = new Skeleton[values.length];
          }
          out[i] = s;
        }
      }
      return out;
    }
  }

  static long pos(int line, int column) {
    return ((long) line << 32) | (column & 0xffffffffL);
  }

  static int line(long pos) {
    return (int) (pos >>> 32);
  }

  static int column(long pos) {
    return (int) pos;
  }

  static long pos(JsonLocation at) {
    return pos(Math.max(at.getLineNr(), 0), Math.max(at.getColumnNr(), 0));
  }

  /** What kind of value this is, for messages: "a string", "an object", ... */
  static String describe(Object value) {
    if (value instanceof Obj) {
      return "an object";
    } else if (value instanceof Arr) {
      return "a list";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Num) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }

  /** A key seen twice in one object: {@code pointer} names the second one. */
  record DuplicateKey(String pointer, long pos, long firstPos) {}

  /**
   * Reads one value from a parser positioned on its first token, recording each duplicate key into
   * {@code duplicates}.
   */
  static final class Builder {
    private static final int MAX_DEPTH = 1000;
    private final JsonParser parser;
    private final List<DuplicateKey> duplicates;
    // The path to the value being read, for the pointer of a duplicate key only.
    private final String[] keyPath = new String[MAX_DEPTH + 2];
    private final int[] indexPath = new int[MAX_DEPTH + 2];
    private int depth;

    Builder(JsonParser parser, List<DuplicateKey> duplicates) {
      this.parser = parser;
      this.duplicates = duplicates;
    }

    Object value(JsonToken token) throws IOException {
      if (depth >= MAX_DEPTH) {
        throw new JsonParseException(parser, "nesting deeper than " + MAX_DEPTH + " levels");
      }
      // Jackson hands an alias over as a string of its name, so `file_scope: [*md]` read as a
      // file named md: refuse it, whether a pattern left unquoted or a real alias.
      if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
        throw new JsonParseException(
            parser,
            "*"
                + parser.getText()
                + " is a YAML alias, which Braid does not expand; a pattern or value that starts"
                + " with '*' must be quoted: \"*"
                + parser.getText()
                + "\"",
            parser.currentTokenLocation());
      }
      return switch (token) {
        case START_OBJECT -> object();
        case START_ARRAY -> array();
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT -> new Num(parser.getText(), true);
        case VALUE_NUMBER_FLOAT -> new Num(parser.getText(), false);
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> NULL;
        // YAML tags and binary values: keep their text.
        case VALUE_EMBEDDED_OBJECT -> parser.getText();
        default -> throw new IllegalStateException("unexpected token " + token);
      };
    }

    // Scratch buffers per depth, reused by every container at that depth: each container then
    // allocates only its final, exactly sized arrays (100k-task plans have 200k containers).
    private final Scratch[] scratch = new Scratch[MAX_DEPTH + 2];

    private static final class Scratch {
      String[] keys = new String[8];
      Object[] values = new Object[8];
      long[] keyPos = new long[8];
      long[] valuePos = new long[8];

      void ensure(int n) {
        if (n == values.length) {
          keys = Arrays.copyOf(keys, n * 2);
          values = Arrays.copyOf(values, n * 2);
          keyPos = Arrays.copyOf(keyPos, n * 2);
          valuePos = Arrays.copyOf(valuePos, n * 2);
        }
      }
    }

    private Scratch scratch() {
      Scratch s = scratch[depth];
      if (s == null) {
        s = new Scratch();
        scratch[depth] = s;
      }
      return s;
    }

    private Obj object() throws IOException {
      int n = 0;
      depth++;
      Scratch s = scratch();
      JsonToken t;
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        long kp = pos(parser.currentTokenLocation());
        JsonToken vt = parser.nextToken();
        long vp = pos(parser.currentTokenLocation());
        keyPath[depth] = key;
        Object v = value(vt);
        int first = indexOf(s.keys, n, key);
        if (first >= 0) {
          duplicates.add(new DuplicateKey(pointer(), kp, s.keyPos[first]));
          continue; // the first one wins
        }
        s.ensure(n);
        s.keys[n] = key;
        s.values[n] = v;
        s.keyPos[n] = kp;
        s.valuePos[n] = vp;
        n++;
      }
      if (t != JsonToken.END_OBJECT) {
        throw new IllegalStateException("unexpected token " + t);
      }
      Obj o =
          new Obj(
              Arrays.copyOf(s.keys, n),
              Arrays.copyOf(s.values, n),
              Arrays.copyOf(s.keyPos, n),
              Arrays.copyOf(s.valuePos, n));
      Arrays.fill(s.values, 0, n, null); // let the children go with their parent
      depth--;
      return o;
    }

    private Arr array() throws IOException {
      int n = 0;
      depth++;
      keyPath[depth] = null;
      Scratch s = scratch();
      JsonToken t;
      while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
        indexPath[depth] = n;
        long p = pos(parser.currentTokenLocation());
        Object v = value(t);
        s.ensure(n);
        s.valuePos[n] = p;
        s.values[n] = v;
        n++;
      }
      Arr a = new Arr(Arrays.copyOf(s.values, n), Arrays.copyOf(s.valuePos, n));
      Arrays.fill(s.values, 0, n, null);
      depth--;
      return a;
    }

    private String pointer() {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i <= depth; i++) {
        b.append('/');
        if (keyPath[i] == null) {
          b.append(indexPath[i]);
        } else {
          b.append(SourceMap.escape(keyPath[i]));
        }
      }
      return b.toString();
    }

    private static int indexOf(String[] keys, int n, String key) {
      for (int i = 0; i < n; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }
  }
}
