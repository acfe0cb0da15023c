package io.vigil.alerts.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.net.URI;

/** The nurse UI lives under /ui; the root sends the browser there. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public final class HomeController {
  @Get
  public HttpResponse<?> home() {
    return HttpResponse.seeOther(URI.create("/ui/index.html"));
  }
}
