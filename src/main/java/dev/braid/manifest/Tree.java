package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** An anchored value ({@code &name}) and how many values it holds, aliases expanded. */
  private record Anchored(Object value, long nodes) {}

  /** A key seen twice in one object: {@code pointer} names the second one. */
  record DuplicateKey(String pointer, long pos, long firstPos) {}

  /**
   * Reads one value from a parser positioned on its first token, recording each duplicate key into
   * {@code duplicates}.
   */
  static final class Builder {
    private static final int MAX_DEPTH = 1000;
    // Far above any real plan (a 100k-task plan holds about 2 million values), far below a blow-up.
    private static final long MAX_NODES = 10_000_000;
    private final Map<String, Anchored> anchors = new HashMap<>();
    // values read so far, counting each alias as a copy of what it names
    private long nodes;
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
      if (parser instanceof YAMLParser yaml) {
        if (yaml.isCurrentAlias()) {
          return alias();
        }
        String anchor = yaml.getObjectId();
        if (anchor != null) {
          long before = nodes;
          Object v = read(token);
          anchors.put(anchor, new Anchored(v, nodes - before));
          return v;
        }
      }
      return read(token);
    }

    /**
     * The value an alias names, shared, not copied. Jackson hands an alias over as a string of its
     * name, so an unquoted glob ({@code file_scope: [*md]}) reads as an alias of nothing: an error
     * that says to quote it, rather than a file named md.
     */
    private Object alias() throws IOException {
      String name = parser.getText();
      Anchored a = anchors.get(name);
      if (a == null) {
        throw new JsonParseException(
            parser,
            "*"
                + name
                + " is a YAML alias, but no &"
                + name
                + " comes before it; a pattern or value that starts with '*' must be quoted: \"*"
                + name
                + "\"",
            parser.currentTokenLocation());
      }
      // Aliases of aliases grow a plan exponentially (a "billion laughs"); everything reading it
      // walks the values it expands to, so they are counted as if copied.
      nodes += a.nodes();
      if (nodes > MAX_NODES) {
        throw new JsonParseException(
            parser,
            "YAML aliases expand the plan past " + MAX_NODES + " values",
            parser.currentTokenLocation());
      }
      return a.value();
    }

    private Object read(JsonToken token) throws IOException {
      nodes++;
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
      List<Merge> merges = null;
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
        if (key.equals("<<") && parser instanceof YAMLParser) {
          merges = merge(merges, v, vp);
          continue;
        }
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
      if (merges != null) {
        n = merged(s, n, merges);
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

    /** A mapping merged in by YAML's {@code <<} key, and where it was named. */
    private record Merge(Obj from, long pos) {}

    /** {@code merges} plus what {@code <<: v} merges in: a mapping or a list of them. */
    private List<Merge> merge(List<Merge> merges, Object v, long pos) throws JsonParseException {
      List<Merge> out = merges == null ? new ArrayList<>() : merges;
      if (v instanceof Obj o) {
        out.add(new Merge(o, pos));
      } else if (v instanceof Arr a && Arrays.stream(a.values).allMatch(Obj.class::isInstance)) {
        for (int k = 0; k < a.size(); k++) {
          out.add(new Merge((Obj) a.values[k], a.pos[k]));
        }
      } else {
        throw new JsonParseException(
            parser,
            "<< merges a mapping or a list of mappings into this one, got " + describe(v),
            parser.currentTokenLocation());
      }
      return out;
    }

    /**
     * Adds the merged mappings' keys that the object does not set itself, the first mapping named
     * winning, as YAML's merge key does. Their positions are where each mapping was named: a merged
     * value is written elsewhere, and may be shared with other objects.
     */
    private static int merged(Scratch s, int n, List<Merge> merges) {
      for (Merge m : merges) {
        for (int k = 0; k < m.from().size(); k++) {
          if (indexOf(s.keys, n, m.from().keys[k]) < 0) {
            s.ensure(n);
            s.keys[n] = m.from().keys[k];
            s.values[n] = m.from().values[k];
            s.keyPos[n] = m.pos();
            s.valuePos[n] = m.pos();
            n++;
          }
        }
      }
      return n;
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
