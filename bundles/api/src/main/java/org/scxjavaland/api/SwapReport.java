package org.scxjavaland.api;

/**
 * The outcome of a policy swap.
 *
 * @param from name of the policy that was active before
 * @param to name of the policy active now
 * @param tasksHandedOver how many held tasks moved from the old policy to the new one
 * @param durationNs how long the scheduling thread spent on the swap
 */
public record SwapReport(String from, String to, int tasksHandedOver, long durationNs) {
}
