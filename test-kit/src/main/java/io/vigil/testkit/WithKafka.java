package io.vigil.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a real Kafka cluster with the catalogue's topics, injected as a
 * {@link TestKafka} parameter (constructor, lifecycle or test method).
 *
 * <p>By default one cluster per broker count is shared by every test class of the JVM run (topics
 * outlive a class: use unique patient keys and consumer groups). {@code dedicated = true} gives the
 * class a cluster of its own, stopped after the class, for tests that stop brokers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {
  /** Number of brokers: 1 or 3. */
  int brokers() default 1;

  /** A cluster of the class's own instead of the shared one. */
  boolean dedicated() default false;
}
