package io.vigil.scoring.train;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of chosen rows of an {@link EncodedSet} for DL4J: features {@code [batch, features,
 * hours]}, one-hot labels {@code [batch, 2]}. With a seed, the rows are shuffled at every reset
 * (each epoch) by one seeded generator, so a training run is repeatable; without, they keep their
 * order (validation).
 */
final class WindowBatches implements DataSetIterator {
  private final EncodedSet set;
  private final int[] rows;
  private final int batch;
  private final Random shuffle;
  private int cursor;
  private DataSetPreProcessor preProcessor;

  private WindowBatches(EncodedSet set, int[] rows, int batch, Random shuffle) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
    }
    this.set = set;
    this.rows = rows.clone();
    this.batch = batch;
    this.shuffle = shuffle;
    reset();
  }

  /** The given rows in a new seeded order every epoch. */
  static WindowBatches shuffled(EncodedSet set, int[] rows, int batch, long seed) {
    return new WindowBatches(set, rows, batch, new Random(seed));
  }

  /** Every row of {@code set}, in order. */
  static WindowBatches inOrder(EncodedSet set, int batch) {
    return new WindowBatches(
        set, java.util.stream.IntStream.range(0, set.n).toArray(), batch, null);
  }

  @Override
  public boolean hasNext() {
    return cursor < rows.length;
  }

  @Override
  public DataSet next() {
    return next(batch);
  }

  @Override
  public DataSet next(int num) {
    int start = cursor;
    int end = Math.min(rows.length, start + num);
    cursor = end;
    DataSet ds = new DataSet(features(set, rows, start, end), labels(set, rows, start, end));
    if (preProcessor != null) {
      preProcessor.preProcess(ds);
    }
    return ds;
  }

  static INDArray features(EncodedSet set, int[] rows, int start, int end) {
    int len = set.rowLength();
    float[] buf = new float[(end - start) * len];
    for (int i = start; i < end; i++) {
      System.arraycopy(set.packed, rows[i] * len, buf, (i - start) * len, len);
    }
    return Nd4j.create(buf, new long[] {end - start, set.features, set.hours}, 'c');
  }

  static INDArray labels(EncodedSet set, int[] rows, int start, int end) {
    float[] buf = new float[(end - start) * 2];
    for (int i = start; i < end; i++) {
      buf[(i - start) * 2 + set.labels[rows[i]]] = 1f;
    }
    return Nd4j.create(buf, new long[] {end - start, 2}, 'c');
  }

  @Override
  public int inputColumns() {
    return set.features;
  }

  @Override
  public int totalOutcomes() {
    return 2;
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    // Batches are cut from memory; a prefetch thread would only add a thread to watch.
    return false;
  }

  @Override
  public void reset() {
    cursor = 0;
    if (shuffle != null) {
      LogisticRegression.shuffle(rows, shuffle);
    }
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return List.of("no event", "event");
  }
}
