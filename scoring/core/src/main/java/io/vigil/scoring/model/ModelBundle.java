package io.vigil.scoring.model;

import io.vigil.scoring.features.FeatureSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The versioned deterioration model: network, normaliser, calibration and metadata, saved and
 * loaded together. On disk (a directory, or the classpath folder {@link #DEFAULT_RESOURCE}) it is
 * four files: {@code network.zip} (DL4J, without updater state), {@code normaliser.json}, {@code
 * calibration.json}, {@code metadata.json}.
 *
 * <p>The bundle's network is the prototype: score through {@link #scorer()}, which gives every
 * caller (one per stream thread) its own copy, because a DL4J network is not thread-safe.
 */
public final class ModelBundle {
  /** Classpath folder of the shipped bundle. */
  public static final String DEFAULT_RESOURCE = "/io/vigil/scoring/model/default/";

  static final String NETWORK = "network.zip";
  static final String NORMALISER = "normaliser.json";
  static final String CALIBRATION = "calibration.json";
  static final String METADATA = "metadata.json";

  private final MultiLayerNetwork network;
  private final Normaliser normaliser;
  private final PlattCalibration calibration;
  private final BundleMetadata metadata;
  private final FeatureSet featureSet;

  public ModelBundle(
      MultiLayerNetwork network,
      Normaliser normaliser,
      PlattCalibration calibration,
      BundleMetadata metadata) {
    this.featureSet = FeatureSet.of(metadata.features());
    int steps = metadata.config().windowHours();
    if (steps < 1 || steps > metadata.windowHours()) {
      throw new IllegalArgumentException(
          "the network's "
              + steps
              + " time steps must fit in the bundle's "
              + metadata.windowHours()
              + "-hour window");
    }
    if (featureSet == FeatureSet.HOURLY && steps != metadata.windowHours()) {
      throw new IllegalArgumentException("hourly features take the whole window as time steps");
    }
    this.network = network;
    this.normaliser = normaliser;
    this.calibration = calibration;
    this.metadata = metadata;
  }

  /**
   * A real, freshly initialised (untrained) network from {@link NetworkFactory} with identity
   * normaliser and calibration. For tests that need a scorer before a trained bundle is at hand;
   * its version says "untrained" so it is never mistaken for the shipped model.
   */
  public static ModelBundle untrained(int windowHours, long seed) {
    ModelConfig config = ModelConfig.defaults(FeatureSet.HOURLY.features(), windowHours, seed);
    BundleMetadata meta =
        new BundleMetadata(
            "untrained-w" + windowHours + "-seed" + seed,
            Instant.EPOCH.toString(),
            FeatureSet.HOURLY.names(),
            windowHours,
            "none (untrained)",
            config,
            seed,
            "none",
            "ModelBundle.untrained(" + windowHours + ", " + seed + ")",
            Map.of(),
            List.of());
    return new ModelBundle(
        NetworkFactory.build(config),
        Normaliser.identity(FeatureSet.HOURLY.features()),
        PlattCalibration.identity(),
        meta);
  }

  public MultiLayerNetwork network() {
    return network;
  }

  public Normaliser normaliser() {
    return normaliser;
  }

  public PlattCalibration calibration() {
    return calibration;
  }

  public BundleMetadata metadata() {
    return metadata;
  }

  public String version() {
    return metadata.version();
  }

  /** Hours of history a window holds (what the scoring topology assembles). */
  public int windowHours() {
    return metadata.windowHours();
  }

  /** Time steps the network reads: the last {@code steps()} hours of the window. */
  public int steps() {
    return metadata.config().windowHours();
  }

  /** The input features the network was trained on. */
  public FeatureSet featureSet() {
    return featureSet;
  }

  /** Normalised {@code x[step][feature]} of one window, as the network reads it. */
  public float[][] encode(io.vigil.scoring.features.PatientWindow window) {
    return normaliser.apply(featureSet.encode(window, steps()));
  }

  /** A new scorer with its own copy of the network (one per thread). */
  public RiskScorer scorer() {
    return new RiskScorer(this, network.clone());
  }

  public ModelBundle withMetadata(BundleMetadata m) {
    return new ModelBundle(network, normaliser, calibration, m);
  }

  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    ModelSerializer.writeModel(network, dir.resolve(NETWORK).toFile(), false);
    write(dir.resolve(NORMALISER), normaliser);
    write(dir.resolve(CALIBRATION), calibration);
    write(dir.resolve(METADATA), metadata);
  }

  private static void write(Path file, Object value) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      Json.MAPPER.writeValue(out, value);
    }
  }

  /** Loads a bundle saved by {@link #save}. */
  public static ModelBundle load(Path dir) throws IOException {
    return load(
        name -> {
          Path file = dir.resolve(name);
          if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (a model bundle needs " + name + ")");
          }
          return Files.newInputStream(file);
        });
  }

  /** Loads the bundle shipped on the classpath at {@link #DEFAULT_RESOURCE}. */
  public static ModelBundle loadDefault() {
    try {
      return load(
          name -> {
            InputStream in = ModelBundle.class.getResourceAsStream(DEFAULT_RESOURCE + name);
            if (in == null) {
              throw new NoSuchFileException(
                  "classpath:"
                      + DEFAULT_RESOURCE
                      + name
                      + " (the shipped model bundle is missing)");
            }
            return in;
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the shipped model bundle", e);
    }
  }

  /** Opens one bundle file by name. */
  @FunctionalInterface
  interface Opener {
    InputStream open(String name) throws IOException;
  }

  static ModelBundle load(Opener opener) throws IOException {
    BundleMetadata metadata;
    try (InputStream in = opener.open(METADATA)) {
      metadata = Json.MAPPER.readValue(in, BundleMetadata.class);
    }
    Normaliser normaliser;
    try (InputStream in = opener.open(NORMALISER)) {
      normaliser = Json.MAPPER.readValue(in, Normaliser.class);
    }
    PlattCalibration calibration;
    try (InputStream in = opener.open(CALIBRATION)) {
      calibration = Json.MAPPER.readValue(in, PlattCalibration.class);
    }
    MultiLayerNetwork network;
    try (InputStream in = opener.open(NETWORK)) {
      network = ModelSerializer.restoreMultiLayerNetwork(in, false);
    }
    return new ModelBundle(network, normaliser, calibration, metadata);
  }
}
