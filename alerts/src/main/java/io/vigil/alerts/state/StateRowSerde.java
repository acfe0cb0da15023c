package io.vigil.alerts.state;

import io.vigil.schemas.serde.AvroSerde;
import java.util.function.Function;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A state row of the alerts Streams application in its store and changelog: an internal Avro record
 * of this package ({@code src/main/avro/io/vigil/alerts/state}) in the contract's single-object
 * encoding, converted to and from the type the code works with. A row that does not decode is a
 * fault of the state, reported as {@link IllegalStateException} naming the record.
 *
 * @param <T> the type the code works with
 * @param <R> the generated record
 */
public final class StateRowSerde<T, R extends SpecificRecord> implements Serde<T> {
  private final AvroSerde<R> rows;
  private final Function<T, R> toRow;
  private final Function<R, T> fromRow;

  public StateRowSerde(Class<R> type, Function<T, R> toRow, Function<R, T> fromRow) {
    // The generated class's own field-by-field coder instead of the generic schema walk. Each
    // generated class has its own model, so this touches nothing outside these rows.
    SpecificData.getForClass(type).setCustomCoders(true);
    this.rows = AvroSerde.of(type);
    this.toRow = toRow;
    this.fromRow = fromRow;
  }

  public byte[] write(T value) {
    return value == null ? null : rows.encode(toRow.apply(value));
  }

  public T read(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return fromRow.apply(rows.decode(bytes));
    } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException(
          "unreadable state row " + rows.schema().getName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> write(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> read(bytes);
  }
}
