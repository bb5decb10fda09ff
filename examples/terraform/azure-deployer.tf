# The identity a pipeline deploys to Azure with: Contributor on the whole subscription, and a
# custom role that can also hand out roles, so the pipeline can grant itself Owner.
data "azurerm_subscription" "current" {}

resource "azurerm_user_assigned_identity" "deployer" {
  name                = "ci-deployer"
  location            = "westeurope"
  resource_group_name = "platform"
}

resource "azurerm_role_assignment" "deployer_contributor" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.deployer.principal_id
}

resource "azurerm_role_definition" "deployer_access" {
  name  = "ci-deployer-access"
  scope = data.azurerm_subscription.current.id

  permissions {
    actions = [
      "Microsoft.Authorization/roleAssignments/read",
      "Microsoft.Authorization/roleAssignments/write",
    ]
  }
}

resource "azurerm_role_assignment" "deployer_access" {
  scope              = data.azurerm_subscription.current.id
  role_definition_id = azurerm_role_definition.deployer_access.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.deployer.principal_id
}
