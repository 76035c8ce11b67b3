//! What every request passes before a route sees it, and what every response carries: the Host
//! header must name the address served (a page on a name that resolves to 127.0.0.1 — DNS
//! rebinding — is refused), only GET and HEAD without a body are taken, the URL is capped, and
//! the security headers are set.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::reply::plain;
use super::Shared;

/// The longest URL (path and query) taken; the query text itself is capped lower (see `params`).
pub const MAX_URI: usize = 8 * 1024;

/// The policy sent with every response: nothing but the page's own stylesheet, images and forms.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub async fn check(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut response = match refusal(&shared.addr, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Why `request` is refused, as the response to send; `None` lets it through.
fn refusal(addr: &SocketAddr, request: &Request) -> Option<Response> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    if !host.is_some_and(|host| host_allowed(addr, host)) {
        return Some(plain(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server answers only to the Host {}",
                allowed_example(addr)
            ),
        ));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Some(plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "the page is read-only: only GET is taken".to_string(),
        ));
    }
    let has_body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|length| length.as_bytes() != b"0")
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if has_body {
        return Some(plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests take no body".to_string(),
        ));
    }
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |path| path.as_str().len());
    if length > MAX_URI {
        return Some(plain(
            StatusCode::URI_TOO_LONG,
            format!("the URL is longer than {MAX_URI} bytes"),
        ));
    }
    None
}

/// True when the Host header `host` names the address served: the bound IP and port, or, when
/// that IP is a loopback one, `localhost` or any loopback IP with the port. A server bound to
/// every address (0.0.0.0 or ::) takes any IP literal with its port, since a rebinding attack
/// needs a name; names other than `localhost` are always refused.
pub fn host_allowed(addr: &SocketAddr, host: &str) -> bool {
    let Some((name, port)) = split_host(host) else {
        return false;
    };
    if port != addr.port() {
        return false;
    }
    let bound = addr.ip();
    if name.eq_ignore_ascii_case("localhost") {
        return bound.is_loopback() || bound.is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            ip == bound || (bound.is_loopback() && ip.is_loopback()) || bound.is_unspecified()
        }
        Err(_) => false,
    }
}

/// `name:port`, `[v6]:port`, or a bare name (port 80).
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((name, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

fn allowed_example(addr: &SocketAddr) -> String {
    if addr.ip().is_loopback() {
        format!("localhost:{0} or {1}", addr.port(), addr)
    } else {
        addr.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SocketAddr {
        text.parse().expect("address")
    }

    #[test]
    fn loopback_takes_localhost_and_loopback_ips_on_its_port() {
        let addr = at("127.0.0.1:7700");
        assert!(host_allowed(&addr, "127.0.0.1:7700"));
        assert!(host_allowed(&addr, "localhost:7700"));
        assert!(host_allowed(&addr, "LOCALHOST:7700"));
        assert!(host_allowed(&addr, "[::1]:7700"));
    }

    #[test]
    fn rebinding_names_and_other_ports_are_refused() {
        let addr = at("127.0.0.1:7700");
        assert!(!host_allowed(&addr, "evil.example:7700"));
        assert!(!host_allowed(&addr, "localhost.evil.example:7700"));
        assert!(!host_allowed(&addr, "127.0.0.1:7701"));
        assert!(!host_allowed(&addr, "127.0.0.1"));
        assert!(!host_allowed(&addr, "192.168.1.5:7700"));
        assert!(!host_allowed(&addr, ""));
        assert!(!host_allowed(&addr, "[::1"));
    }

    #[test]
    fn a_chosen_address_takes_only_itself() {
        let addr = at("192.168.1.5:8080");
        assert!(host_allowed(&addr, "192.168.1.5:8080"));
        assert!(!host_allowed(&addr, "localhost:8080"));
        assert!(!host_allowed(&addr, "127.0.0.1:8080"));
        assert!(!host_allowed(&addr, "myhost:8080"));
    }

    #[test]
    fn every_address_takes_ip_literals_but_no_names() {
        let addr = at("0.0.0.0:80");
        assert!(host_allowed(&addr, "10.0.0.2"));
        assert!(host_allowed(&addr, "localhost"));
        assert!(!host_allowed(&addr, "myhost"));
    }
}
