package dev.braid.observe;

import dev.braid.manifest.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Diagnostics as JSON objects for {@code --format json}. */
public final class DiagnosticsView {

  private DiagnosticsView() {}

  public static List<Map<String, Object>> json(List<Diagnostic> diagnostics) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
      m.put("file", d.location().file() == null ? null : d.location().file().toString());
      m.put("line", d.location().line());
      m.put("column", d.location().column());
      m.put("field", d.field());
      m.put("message", d.message());
      list.add(m);
    }
    return list;
  }
}
