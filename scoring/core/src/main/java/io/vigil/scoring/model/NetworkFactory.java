package io.vigil.scoring.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Builds the deterioration network: one or two LSTM layers over the window's hours (input shape
 * {@code [batch, features, hours]}), the last LSTM reduced to its final time step, and a two-class
 * softmax output ({@code [P(no event), P(event)]}) whose cross-entropy weighs the positive class by
 * {@link ModelConfig#positiveWeight()} against class imbalance. Layers are named {@code lstm1},
 * {@code lstm2}, {@code output}. Deterministic for a given seed.
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  public static MultiLayerNetwork build(ModelConfig config) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(new Adam(config.learningRate()))
            .l2(config.l2())
            .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
            .gradientNormalizationThreshold(1.0)
            .list();
    int[] units = config.lstmUnits();
    int in = config.features();
    for (int i = 0; i < units.length; i++) {
      LSTM lstm =
          new LSTM.Builder()
              .name("lstm" + (i + 1))
              .nIn(in)
              .nOut(units[i])
              .activation(Activation.TANH)
              .build();
      list.layer(i == units.length - 1 ? new LastTimeStep(lstm) : lstm);
      in = units[i];
    }
    OutputLayer.Builder output =
        new OutputLayer.Builder(
                new LossMCXENT(Nd4j.createFromArray(1f, (float) config.positiveWeight())))
            .name("output")
            .nIn(in)
            .nOut(2)
            .activation(Activation.SOFTMAX);
    if (config.dropout() > 0) {
      // DL4J's dropout argument is the probability of retaining an input.
      output.dropOut(1.0 - config.dropout());
    }
    list.layer(output.build());
    MultiLayerConfiguration conf =
        list.setInputType(InputType.recurrent(config.features(), config.windowHours())).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}
