package io.jvmroute.balancer.proxy;

/**
 * What {@link ResponseParser} hands on for a worker's response: its head, pieces of its body, or the news
 * that it was malformed. Heads and bodies hold buffers: whoever receives one releases it or writes it on.
 */
sealed interface ResponsePart permits ResponseHead, ResponseBody, ResponseParser.Malformed {
}
