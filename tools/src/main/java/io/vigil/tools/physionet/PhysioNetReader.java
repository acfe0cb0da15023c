package io.vigil.tools.physionet;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads PhysioNet/CinC Challenge 2019 stays ({@code .psv}, pipe-separated, one row per hour) from a
 * folder or from a {@code .tar.gz} of such a folder. Stays come back sorted by id; {@link
 * Result#dataHash()} is the SHA-256 over each file's name and bytes in that order, so a bundle
 * records exactly which data trained it.
 *
 * <p>Data: Reyna MA et al., Early Prediction of Sepsis From Clinical Data: The PhysioNet/Computing
 * in Cardiology Challenge 2019, Crit Care Med 48(2):210-217 (2020); Goldberger A et al.,
 * PhysioBank, PhysioToolkit, and PhysioNet, Circulation 101(23):e215-e220 (2000).
 */
public final class PhysioNetReader {
  /** Column of each Vigil vital in the challenge's header. */
  static final Map<Vital, String> COLUMNS =
      Map.of(
          Vital.HEART_RATE, "HR",
          Vital.OXYGEN_SATURATION, "O2Sat",
          Vital.BODY_TEMPERATURE, "Temp",
          Vital.SYSTOLIC_BP, "SBP",
          Vital.MEAN_BP, "MAP",
          Vital.DIASTOLIC_BP, "DBP",
          Vital.RESPIRATORY_RATE, "Resp");

  /** Stays read and the hash of what was read. */
  public record Result(List<PhysioNetStay> stays, String dataHash) {}

  private PhysioNetReader() {}

  /** Reads every {@code .psv} in {@code source}, a folder or a {@code .tar.gz}. */
  public static Result read(Path source) throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>();
    if (Files.isDirectory(source)) {
      try (Stream<Path> paths = Files.list(source)) {
        for (Path p : paths.filter(p -> p.toString().endsWith(".psv")).toList()) {
          files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
      }
    } else if (source.toString().endsWith(".tar.gz") || source.toString().endsWith(".tgz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(source), 1 << 16)) {
        TarReader.forEach(
            in,
            (name, bytes) -> {
              String base = name.substring(name.lastIndexOf('/') + 1);
              if (base.endsWith(".psv") && !base.startsWith(".")) {
                files.put(base, bytes);
              }
            });
      }
    } else {
      throw new IOException(source + " is neither a folder of .psv files nor a .tar.gz of one");
    }
    if (files.isEmpty()) {
      throw new IOException("no .psv stays found in " + source);
    }
    MessageDigest sha = sha256();
    List<PhysioNetStay> stays = new ArrayList<>(files.size());
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update(e.getValue());
      String id = e.getKey().substring(0, e.getKey().length() - ".psv".length());
      stays.add(parse(id, new ByteArrayInputStream(e.getValue())));
    }
    return new Result(stays, HexFormat.of().formatHex(sha.digest()));
  }

  /** Parses one stay file. */
  public static PhysioNetStay parse(String id, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (header == null) {
      throw new IOException(id + ": empty file, expected the challenge's 41-column header");
    }
    List<String> names = List.of(header.trim().split("\\|"));
    int[] vitalCols = new int[Vital.values().length];
    for (Vital v : Vital.values()) {
      vitalCols[v.ordinal()] = column(names, COLUMNS.get(v), id);
    }
    int ageCol = column(names, "Age", id);
    int genderCol = column(names, "Gender", id);
    int losCol = column(names, "ICULOS", id);
    int labelCol = column(names, "SepsisLabel", id);
    List<PhysioNetStay.Row> rows = new ArrayList<>();
    Double age = null;
    Sex sex = null;
    String line;
    int lineNo = 1;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\|", -1);
      if (f.length != names.size()) {
        throw new IOException(
            id + " line " + lineNo + ": " + f.length + " fields, header has " + names.size());
      }
      double[] vitals = new double[vitalCols.length];
      for (Vital v : Vital.values()) {
        double value = number(f[vitalCols[v.ordinal()]], id, lineNo);
        vitals[v.ordinal()] = v.isPlausible(value) ? value : Double.NaN;
      }
      double a = number(f[ageCol], id, lineNo);
      if (age == null && !Double.isNaN(a)) {
        // Whole years, as a platform reports age in the patient context (an integer there), so
        // replayed stays and read stays give the same feature.
        age = Math.floor(a);
      }
      double g = number(f[genderCol], id, lineNo);
      if (sex == null && !Double.isNaN(g)) {
        sex = g == 1 ? Sex.MALE : Sex.FEMALE;
      }
      double los = number(f[losCol], id, lineNo);
      double label = number(f[labelCol], id, lineNo);
      if (Double.isNaN(los) || los < 1 || los != Math.rint(los)) {
        throw new IOException(id + " line " + lineNo + ": ICULOS must be a whole hour >= 1");
      }
      if (!rows.isEmpty() && los <= rows.get(rows.size() - 1).iculos()) {
        throw new IOException(id + " line " + lineNo + ": ICULOS must increase");
      }
      rows.add(new PhysioNetStay.Row((int) los, vitals, label == 1 ? 1 : 0));
    }
    return new PhysioNetStay(id, age, sex, rows);
  }

  private static int column(List<String> names, String name, String id) throws IOException {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IOException(id + ": header lacks column " + name);
    }
    return i;
  }

  private static double number(String s, String id, int lineNo) throws IOException {
    if (s.isEmpty() || s.equals("NaN")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IOException(id + " line " + lineNo + ": not a number: " + s, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
