package dev.braid.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average, for {@code --max-load}. */
final class LoadAverage {

  /**
   * Where the load average is read, in {@code /proc/loadavg}'s format; the system property lets
   * tests hold and release a run with a load of their choosing.
   */
  static final String SOURCE_PROPERTY = "braid.loadavg";

  private LoadAverage() {}

  static double oneMinute() {
    try {
      String text = Files.readString(Path.of(System.getProperty(SOURCE_PROPERTY, "/proc/loadavg")));
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }
}
