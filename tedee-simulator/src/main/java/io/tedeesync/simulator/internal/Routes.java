package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.internal.Router.Handler;
import io.tedeesync.simulator.internal.Router.Kind;
import io.tedeesync.simulator.internal.Router.Route;
import java.util.List;

/** Every route the simulator serves, in one table. A literal segment comes before a parameter. */
final class Routes {

    private static final String API = "/api/{version}";

    private Routes() {}

    static Router table(Simulation simulation) {
        LockApi locks = new LockApi(simulation);
        OperationApi operations = new OperationApi(simulation);
        OAuthEndpoint oauth = new OAuthEndpoint(simulation);
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(simulation);
        ControlApi control = new ControlApi(simulation);
        return new Router(List.of(
                api("GET", "/my/lock", locks::getAll),
                sync("GET", "/my/lock/sync", locks::syncAll),
                api("GET", "/my/lock/{id}", locks::getSingle),
                sync("GET", "/my/lock/{id}/sync", locks::syncSingle),
                api("POST", "/my/lock/{id}/operation/lock", operations::lock),
                api("POST", "/my/lock/{id}/operation/unlock", operations::unlock),
                api("POST", "/my/lock/{id}/operation/pull", operations::pull),
                api("GET", "/my/device/operation/{operationId}", operations::status),

                // The real endpoints sit under a B2C policy segment; both spellings are served.
                new Route("GET", "/oauth2/v2.0/authorize", Kind.OAUTH, authorize::page),
                new Route("GET", "/{policy}/oauth2/v2.0/authorize", Kind.OAUTH, authorize::page),
                new Route("POST", "/oauth2/v2.0/authorize", Kind.OAUTH, authorize::decide),
                new Route("POST", "/{policy}/oauth2/v2.0/authorize", Kind.OAUTH, authorize::decide),
                new Route("POST", "/oauth2/v2.0/token", Kind.OAUTH, oauth::token),
                new Route("POST", "/{policy}/oauth2/v2.0/token", Kind.OAUTH, oauth::token),

                control("GET", "/_sim/locks", control::locks),
                control("POST", "/_sim/locks/{serial}/state", control::state),
                control("POST", "/_sim/locks/{serial}/door", control::door),
                control("POST", "/_sim/locks/{serial}/battery", control::battery),
                control("POST", "/_sim/locks/{serial}/charging", control::charging),
                control("POST", "/_sim/locks/{serial}/disconnect", control::disconnect),
                control("POST", "/_sim/locks/{serial}/reconnect", control::reconnect),
                control("POST", "/_sim/locks/{serial}/rename", control::rename),
                control("POST", "/_sim/locks/{serial}/readd", control::reAdd),
                control("POST", "/_sim/locks/{serial}/remove", control::remove),
                control("POST", "/_sim/locks/{serial}/bell", control::bell),
                control("POST", "/_sim/faults", control::faults),
                control("GET", "/_sim/requests", control::requests),
                control("GET", "/_sim/stats", control::stats),
                control("POST", "/_sim/webhooks", control::registerWebhook),
                control("GET", "/_sim/webhooks", control::webhookDeliveries),
                control("POST", "/_sim/activity", control::activity)));
    }

    private static Route api(String method, String path, Handler handler) {
        return new Route(method, API + path, Kind.API, handler);
    }

    private static Route sync(String method, String path, Handler handler) {
        return new Route(method, API + path, Kind.SYNC, handler);
    }

    private static Route control(String method, String path, Handler handler) {
        return new Route(method, path, Kind.CONTROL, handler);
    }
}
