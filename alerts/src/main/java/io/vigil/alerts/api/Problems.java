package io.vigil.alerts.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 7807 problem+json answers with a specific type per failure. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String BASE = "https://vigil.io/problems/";

  private Problems() {}

  public static MutableHttpResponse<Map<String, Object>> of(
      HttpStatus status, String type, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", BASE + type);
    body.put("title", title);
    body.put("status", status.getCode());
    body.put("detail", detail);
    return HttpResponse.<Map<String, Object>>status(status).body(body).contentType(MEDIA_TYPE);
  }

  public static MutableHttpResponse<Map<String, Object>> forbidden(String type, String detail) {
    return of(HttpStatus.FORBIDDEN, type, "Forbidden", detail);
  }

  public static MutableHttpResponse<Map<String, Object>> notFound(String detail) {
    return of(HttpStatus.NOT_FOUND, "alert-not-found", "Alert not found", detail);
  }

  public static MutableHttpResponse<Map<String, Object>> conflict(String type, String detail) {
    return of(HttpStatus.CONFLICT, type, "Conflict", detail);
  }
}
