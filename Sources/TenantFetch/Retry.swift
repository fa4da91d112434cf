import Foundation
import TenantImport
import TenantModel

/// How long to wait and how often to try again when Microsoft throttles (429) or is briefly unavailable (503, 504),
/// when a connection fails, or when a page arrives cut short. Graph says to honour `Retry-After`
/// (learn.microsoft.com/graph/throttling); without it the wait doubles, with full jitter, up to `maxDelay`.
public struct RetryPolicy: Sendable {
    /// Attempts of one request, the first included.
    public var maxAttempts = 6
    /// Retries allowed in one tenant's whole fetch: a tenant that keeps throttling stops instead of running all night.
    public var budget = 40
    public var baseDelay: Duration = .seconds(1)
    public var maxDelay: Duration = .seconds(60)
    /// A `Retry-After` longer than this ends the fetch (with the wait named) instead of sleeping through it.
    public var maxRetryAfter: Duration = .seconds(300)

    public init() {}

    /// The wait before retry `n` (1-based) when the server names none: uniform in [0, min(maxDelay, base·2ⁿ⁻¹)].
    public func backoff(retry n: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * pow(2, Double(max(0, n - 1))))
        let seconds = Double.random(in: 0...max(0, ceiling), using: &generator)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `Retry-After` as seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), RFC 9110 §10.2.3.
    public static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int64(value) { return seconds >= 0 ? .seconds(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}

/// One tenant's retries: the budget left, the waits, and the record of every failed attempt (for the manifest).
final class Pacer: @unchecked Sendable {
    let policy: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    private(set) var retriesLeft: Int
    private(set) var attempts: [CaptureManifest.Attempt] = []
    private var generator: SystemRandomNumberGenerator = SystemRandomNumberGenerator()
    let clock: @Sendable () -> Date
    /// Says on the progress line what is being waited for.
    let progress: @Sendable (String) -> Void

    init(policy: RetryPolicy, sleep: @escaping @Sendable (Duration) async throws -> Void, clock: @escaping @Sendable () -> Date,
         progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.policy = policy
        self.progress = progress
        self.sleep = sleep
        self.retriesLeft = policy.budget
        self.clock = clock
    }

    /// Records an attempt that is tried again at once (a 401 before a fresh token), without spending the budget.
    func record(_ attempt: CaptureManifest.Attempt) { attempts.append(attempt) }

    /// Records a failed attempt and waits before the next, or returns the reason not to try again.
    /// `retry` is the number of the coming retry of this request (1-based).
    func wait(after attempt: CaptureManifest.Attempt, retry: Int, retryAfter: String?) async -> String? {
        var attempt = attempt
        if retry >= policy.maxAttempts {
            attempts.append(attempt)
            return "gave up after \(policy.maxAttempts) attempts"
        }
        guard retriesLeft > 0 else {
            attempts.append(attempt)
            return "the retry budget of \(policy.budget) retries for this tenant is spent"
        }
        let delay: Duration
        if let asked = RetryPolicy.retryAfter(retryAfter, now: clock()) {
            if asked > policy.maxRetryAfter {
                attempts.append(attempt)
                return "the server asked to wait \(asked.components.seconds) s (Retry-After), longer than \(policy.maxRetryAfter.components.seconds) s"
            }
            delay = asked
        } else {
            delay = policy.backoff(retry: retry, using: &generator)
        }
        retriesLeft -= 1
        attempt.waitedMilliseconds = delay.milliseconds
        attempts.append(attempt)
        progress("\(attempt.status.map { "HTTP \($0) \(attempt.problem)" } ?? attempt.problem): waiting \(String(format: "%.1f", delay.seconds)) s (retry \(retry) of \(policy.maxAttempts - 1))")
        do { try await sleep(delay) } catch { return "cancelled" }
        return nil
    }
}

extension Pacer {
    /// Sends until the answer is neither 429, 503 nor 504 and the connection held, waiting between attempts as the
    /// policy says; `retry` counts this request's attempts (a caller retrying for its own reasons shares the count).
    func send(_ url: String, retry: inout Int, _ attempt: () async throws(TransportFailure) -> HTTPExchange) async throws(FetchProblem) -> HTTPExchange {
        while true {
            retry += 1
            let when = Fetcher.stamp(clock())
            let exchange: HTTPExchange
            do {
                exchange = try await attempt()
            } catch {
                let failed = CaptureManifest.Attempt(url: url, dateTime: when, status: nil, problem: error.reason, requestId: nil)
                guard error.retryable else {
                    record(failed)
                    throw FetchProblem(url: url, message: error.reason)
                }
                if let stop = await wait(after: failed, retry: retry, retryAfter: nil) {
                    throw FetchProblem(url: url, message: "\(error.reason); \(stop)")
                }
                continue
            }
            guard [429, 503, 504].contains(exchange.status) else { return exchange }
            var problem = FetchProblem.from(exchange, url: url, what: "the request")
            let failed = CaptureManifest.Attempt(url: url, dateTime: when, status: exchange.status,
                                                 problem: problem.code ?? "HTTP \(exchange.status)", requestId: exchange.requestID)
            if let stop = await wait(after: failed, retry: retry, retryAfter: exchange.header("Retry-After")) {
                problem.message += "; \(stop)"
                throw problem
            }
        }
    }
}
