package io.jvmroute.balancer.proxy;

/**
 * What {@link RequestParser} hands on for a client's request: its head, pieces of its body, or a refusal.
 * Heads and bodies hold buffers: whoever receives one releases it or writes it on.
 */
sealed interface RequestPart permits RequestHead, RequestBody, RequestParser.Malformed {
}
