package dev.braid.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average, for {@code --max-load}. */
final class LoadAverage {

  private static final Path PROC = Path.of("/proc/loadavg");

  private LoadAverage() {}

  static double oneMinute() {
    try {
      String text = Files.readString(PROC);
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }
}
