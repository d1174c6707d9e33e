/**
 * A faithful fake of the Tedee cloud API over real HTTP, for tests, the demo and benchmarks.
 *
 * <p>Start with {@link io.tedeesync.simulator.TedeeSimulator#builder()}. Everything else in this
 * package is a value the simulator hands out ({@link io.tedeesync.simulator.SimLock},
 * {@link io.tedeesync.simulator.RecordedRequest}, ...) or takes ({@link io.tedeesync.simulator.Fault}).
 * The package {@code io.tedeesync.simulator.internal} is not API.
 */
package io.tedeesync.simulator;
