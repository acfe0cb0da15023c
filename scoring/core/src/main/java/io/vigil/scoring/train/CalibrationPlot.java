package io.vigil.scoring.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a reliability diagram (mean predicted risk vs observed rate per bin) as a PNG, headless.
 */
public final class CalibrationPlot {
  private CalibrationPlot() {}

  public static void write(List<Map<String, Object>> bins, String title, Path file)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 640;
    int h = 560;
    int left = 80;
    int top = 60;
    int size = 420;
    double max = 0.05;
    for (Map<String, Object> b : bins) {
      max = Math.max(max, ((Number) b.get("meanPredicted")).doubleValue());
      max = Math.max(max, ((Number) b.get("observedRate")).doubleValue());
    }
    max = Math.min(1, Math.ceil(max * 10) / 10);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title.length() > 70 ? title.substring(0, 70) + "…" : title, 20, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(left, top, size, size);
    for (int i = 0; i <= 5; i++) {
      double v = max * i / 5;
      int px = left + (int) (size * i / 5.0);
      int py = top + size - (int) (size * i / 5.0);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(px, top, px, top + size);
      g.drawLine(left, py, left + size, py);
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%.2f", v);
      g.drawString(label, px - 12, top + size + 18);
      g.drawString(label, left - 38, py + 4);
    }
    g.drawString("mean predicted risk (decile of hours)", left + 100, top + size + 40);
    g.rotate(-Math.PI / 2);
    g.drawString("observed SepsisLabel rate", -(top + size / 2 + 70), left - 50);
    g.rotate(Math.PI / 2);
    g.setColor(Color.GRAY);
    g.setStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {5f}, 0f));
    g.drawLine(left, top + size, left + size, top);
    g.setStroke(new BasicStroke(2f));
    g.setColor(new Color(200, 40, 40));
    int[] xs = new int[bins.size()];
    int[] ys = new int[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      double p = ((Number) bins.get(i).get("meanPredicted")).doubleValue();
      double o = ((Number) bins.get(i).get("observedRate")).doubleValue();
      xs[i] = left + (int) Math.round(size * Math.min(p, max) / max);
      ys[i] = top + size - (int) Math.round(size * Math.min(o, max) / max);
      g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
    }
    g.drawPolyline(xs, ys, xs.length);
    g.setColor(Color.BLACK);
    g.drawString("dashed: perfect calibration", left + 10, top + 20);
    g.dispose();
    Evaluate.ensureParent(file);
    ImageIO.write(img, "png", file.toFile());
  }
}
