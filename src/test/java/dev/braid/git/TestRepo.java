package dev.braid.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real git repository in a temporary directory, driven by the real git command. */
final class TestRepo {

  final Path dir;

  private TestRepo(Path dir) {
    this.dir = dir;
  }

  /** A repository on branch {@code main} with one commit holding {@code README.md}. */
  static TestRepo init(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestRepo r = new TestRepo(dir);
    r.git("init", "-q", "-b", "main");
    r.write("README.md", "hello\n");
    r.commitAll("initial");
    return r;
  }

  /** Runs git in {@code dir}, asserts it exits 0, returns stdout without the trailing newline. */
  String git(String... args) {
    return git(dir, args);
  }

  static String git(Path in, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", in.toString()));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
      return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void write(String path, String content) {
    write(dir, path, content);
  }

  static void write(Path root, String path, String content) {
    try {
      Path f = root.resolve(path);
      Files.createDirectories(f.getParent());
      Files.writeString(f, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void commitAll(String message) {
    git("add", "-A");
    git("commit", "-q", "-m", message);
  }

  /** A file's content at {@code rev}, e.g. {@code braid/r1:src/a.txt}. */
  String show(String rev, String path) {
    return git("show", rev + ":" + path) + "\n";
  }

  String rev(String rev) {
    return git("rev-parse", rev);
  }

  /** {@code git status --porcelain} of the user's tree, untracked files included. */
  String status() {
    return git("status", "--porcelain", "--untracked-files=all");
  }

  /** The first line of each commit message from {@code rev} back, newest first. */
  List<String> log(String rev) {
    return git("log", "--format=%s", rev).lines().toList();
  }
}
