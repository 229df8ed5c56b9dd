package dev.braid.run;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns SIGINT and SIGTERM into calls of a handler instead of the JVM's shutdown, so a run can stop
 * its children, record itself as interrupted and exit 130; a second signal calls the handler again
 * (the engine then kills at once).
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, reached reflectively so
 * the strict compile stays free of internal-API warnings. Where it is missing, signals keep their
 * default effect (the JVM exits and the OS reaps the process groups' leaders).
 */
public final class SignalTrap {

  /** Removes a handler when closed. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private final List<Runnable> handlers = new CopyOnWriteArrayList<>();
  private final boolean installed;

  private SignalTrap(boolean install) {
    this.installed = install && install("INT") & install("TERM");
  }

  /** Traps the process's signals; call once, from {@code main}. */
  public static SignalTrap system() {
    return new SignalTrap(true);
  }

  /** A trap that no signal reaches; for tests, which call {@link #raise()}. */
  public static SignalTrap none() {
    return new SignalTrap(false);
  }

  public boolean installed() {
    return installed;
  }

  public Registration onInterrupt(Runnable handler) {
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  /** Delivers a signal to the handlers as if it came from the OS. */
  public void raise() {
    if (handlers.isEmpty() && installed) {
      // Nothing to stop (the run has not started or is over): the signal's usual effect.
      Runtime.getRuntime().exit(130);
    }
    for (Runnable h : handlers) {
      h.run();
    }
  }

  private boolean install(String name) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (self, method, args) -> {
                if (method.getName().equals("handle")) {
                  raise();
                  return null;
                }
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  default -> "SignalTrap";
                };
              });
      Method handle = signal.getMethod("handle", signal, handler);
      handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
      return true;
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | IllegalAccessException
        | InstantiationException
        | InvocationTargetException
        | IllegalArgumentException e) {
      return false;
    }
  }
}
