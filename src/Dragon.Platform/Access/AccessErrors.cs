using Dragon.Platform.Common;

namespace Dragon.Platform.Access;

public static class AccessErrors
{
    public static DomainError RequestNotFound(Guid id) => new(ErrorKind.NotFound, "access_request.not_found", $"Access request {id} does not exist.");

    public static DomainError AgreementNotFound(Guid id) => new(ErrorKind.NotFound, "agreement.not_found", $"Agreement {id} does not exist.");

    public static DomainError NotOpenForDecision(AccessRequestStatus status) =>
        new(ErrorKind.Conflict, "access_request.not_open", $"The request is {status}; only a submitted request can be decided.");

    public static DomainError OwnRequest() =>
        new(ErrorKind.Forbidden, "access_request.own_request", "You made this request, so you cannot decide on it: another steward of its cohorts must (four eyes).");

    public static DomainError AlreadyDecided() =>
        new(ErrorKind.Conflict, "access_request.already_decided", "You have already decided on this request in this round.");

    public static DomainError NotAmendable(AccessRequestStatus status) =>
        new(ErrorKind.Conflict, "access_request.not_amendable", $"The request is {status}; only a request with changes requested can be amended.");

    public static DomainError NotWithdrawable(AccessRequestStatus status) =>
        new(ErrorKind.Conflict, "access_request.not_withdrawable", $"The request is {status} and can no longer be withdrawn.");

    public static DomainError NotActive(AgreementStatus status) =>
        new(ErrorKind.Conflict, "agreement.not_active", $"The agreement is {status}.");
}
