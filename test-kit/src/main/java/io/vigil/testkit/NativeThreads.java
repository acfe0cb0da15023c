package io.vigil.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads that are not Java threads (JIT compiler, GC and VM threads,
 * RocksDB's background flushes and compactions), read from {@code /proc/self/task} (Linux, 10 ms
 * ticks), for the benchmarks: the CompilationMXBean's figure is elapsed time including waits, and
 * the ThreadMXBean does not list these threads. Empty where there is no {@code /proc}.
 */
public final class NativeThreads {
  public static final String JIT_COMPILER = "JIT compiler threads";
  public static final String GC_AND_VM = "GC and VM threads";
  public static final String ROCKSDB = "RocksDB background threads";

  private NativeThreads() {}

  /**
   * CPU nanoseconds by kind of thread ({@link #JIT_COMPILER}, {@link #GC_AND_VM}, {@link
   * #ROCKSDB}).
   */
  public static Map<String, Long> cpuNanos() {
    Map<String, Long> byKind = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return byKind;
    }
    try (Stream<Path> dirs = Files.list(tasks)) {
      for (Path task : dirs.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          String kind = kindOf(name);
          if (kind != null) {
            byKind.merge(kind, ticks * 10_000_000L, Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended while being read.
        }
      }
    } catch (IOException e) {
      return byKind;
    }
    return byKind;
  }

  /** CPU nanoseconds of the JIT compiler threads. */
  public static long compilerCpuNanos() {
    return cpuNanos().getOrDefault(JIT_COMPILER, 0L);
  }

  /**
   * Waits until the JIT compiler threads have used no CPU for {@code idle} (at most {@code max});
   * the milliseconds waited.
   */
  public static long awaitCompilerIdle(Duration idle, Duration max) throws InterruptedException {
    long start = System.currentTimeMillis();
    long last = compilerCpuNanos();
    long idleSince = start;
    while (System.currentTimeMillis() - idleSince < idle.toMillis()
        && System.currentTimeMillis() - start < max.toMillis()) {
      Thread.sleep(250);
      long now = compilerCpuNanos();
      if (now != last) {
        last = now;
        idleSince = System.currentTimeMillis();
      }
    }
    return System.currentTimeMillis() - start;
  }

  private static String kindOf(String name) {
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return JIT_COMPILER;
    }
    if (name.startsWith("G1 ") || name.startsWith("GC ") || name.equals("VM Thread")) {
      return GC_AND_VM;
    }
    return name.startsWith("rocksdb:") ? ROCKSDB : null;
  }
}
